"""`tpi-sim bench --startup`: how long a launch takes until the trainee can work, medians over launches.

Each launch runs `tpi-sim play CASE --mute` in a fresh interpreter with the headless (dummy)
video and audio drivers and TPI_SIM_STARTUP_LOG set (ui/startup_probe.py): the trainer logs the
wall-clock time of its first frame, of its first procedure frame and of its first procedure
frame showing the real ultrasound image, then closes. Times are from just before the process
was started, so they include the interpreter, the imports and loading the case.

Warm (the default): the user's own kernel and table caches; one launch before the timed ones
fills them (and Python's bytecode cache: see launch_env). --cold: every launch gets empty ones
(NUMBA_CACHE_DIR and TPI_SIM_CACHE_DIR point to a new temporary folder), as on the first start
after installing. The last line is JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator.ui.startup_probe import ENV as PROBE_ENV
from simulator.ui.startup_probe import MILESTONES, read_milestones

DEFAULT_CASE = "s1_upper_trapezius_thin"
LAUNCH_TIMEOUT_S = 300.0  # a cold launch compiles every kernel: tens of seconds on a loaded machine
LABELS = {"window": "first window frame", "procedure": "first procedure frame",
          "ultrasound": "first procedure frame with the ultrasound image"}


class LaunchError(RuntimeError):
    """A launch that did not reach every milestone (the message says how it ended)."""


def launch_env(log: Path, folder: Path, cold: bool) -> dict[str, str]:
    """The environment of one launch: headless drivers, the probe's log file, and (cold) empty caches.

    Python's bytecode cache is always on, as for an installed trainer (pip writes the .pyc files at
    install): a PYTHONDONTWRITEBYTECODE set for development would otherwise make every launch
    compile the trainer's own source again, about 0.2 s of CPU a user never waits for.
    """
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", PROBE_ENV: str(log),
           "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cold:
        env["NUMBA_CACHE_DIR"] = str(folder / "numba")
        env["TPI_SIM_CACHE_DIR"] = str(folder / "tpi-sim")
    return env


def launch(case: str, folder: Path, cold: bool) -> dict[str, float]:
    """One launch: milestone -> seconds after the process was started, and milestone_cpu -> CPU seconds
    the process had used by then."""
    log = folder / "milestones.jsonl"
    log.unlink(missing_ok=True)
    env = launch_env(log, folder, cold)
    command = [sys.executable, "-m", "simulator", "play", case, "--mute", "--settings", str(folder / "settings.json")]
    start_s = time.time()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=LAUNCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise LaunchError(f"the trainer did not show every milestone within {LAUNCH_TIMEOUT_S:.0f} s") from None
    seen = read_milestones(log)
    missing = [name for name in MILESTONES if name not in seen]
    if done.returncode != 0 or missing:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise LaunchError(f"the trainer exited with status {done.returncode} before showing "
                          f"{', '.join(missing) or 'nothing missing'}: {' | '.join(tail)}")
    times = {name: round(seen[name][0] - start_s, 3) for name in MILESTONES}
    return {**times, **{f"{name}_cpu": seen[name][1] for name in MILESTONES}}


def measure(case: str, launches: int, cold: bool) -> dict:
    """Medians (seconds) of each milestone over `launches` timed launches, and every launch's times."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="tpi-sim-startup-") as scratch:
        if not cold:
            launch(case, Path(scratch), cold=False)  # fills the user's caches if they were empty
        for index in range(launches):
            folder = Path(scratch) / f"launch{index}"
            folder.mkdir()
            runs.append(launch(case, folder, cold))
    medians = {f"{name}{suffix}_s": round(statistics.median(run[name + suffix] for run in runs), 3)
               for name in MILESTONES for suffix in ("", "_cpu")}
    return {"bench": "startup", "case": case, "cache": "cold" if cold else "warm", "launches": launches,
            **medians, "runs": runs}


def run(args) -> int:
    from simulator.scenario.loader import find_case_file

    case = args.case or DEFAULT_CASE
    launches = int(getattr(args, "launches", 5))
    if launches < 1:
        print("tpi-sim bench: error: --launches must be at least 1", file=sys.stderr)
        return 2
    if find_case_file(case) is None:
        print(f"tpi-sim bench: error: no case file or shipped case called {case!r}", file=sys.stderr)
        return 2
    cold = bool(getattr(args, "cold", False))
    try:
        result = measure(case, launches, cold)
    except LaunchError as exc:
        print(f"tpi-sim bench: error: {exc}", file=sys.stderr)
        return 1
    print(f"start-up of `tpi-sim play {case}`, {result['cache']} caches, medians over {launches} launches "
          "(seconds from starting the process)")
    for name in MILESTONES:
        print(f"  {LABELS[name] + ':':<50} {result[name + '_s']:5.2f} s  (CPU {result[name + '_cpu_s']:.2f} s)")
    print("  (CPU: seconds of CPU the trainer had used by then, all threads; the rest of the wall time is"
          " the interpreter starting and waiting for a core)")
    print(json.dumps(result))
    return 0
