"""Launch milestones for `tpi-sim bench --startup`: when the first frames reached the window.

The start-up goal is about what a trainee sees: how long after launching `tpi-sim play CASE`
the window shows a frame, the procedure screen, and the procedure screen with the real
ultrasound image (not the "preparing" gauge). The benchmark launches the trainer in a
subprocess with TPI_SIM_STARTUP_LOG naming a file; the frame loop then writes one JSON line per
milestone, {"milestone": name, "t_s": wall clock, "cpu_s": CPU time of the process so far}, and closes the window once the last one
was presented (the benchmark launches it many times). Wall-clock seconds (time.time) because
the benchmark process, which started the clock, is another process; the CPU seconds (all
threads) tell a slow launch from one that waited for a core on a loaded machine.

Without the variable (always, outside the benchmark) the trainer makes no probe at all.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

ENV = "TPI_SIM_STARTUP_LOG"
MILESTONES = ("window", "procedure", "ultrasound")  # in the order they can happen


def frame_shows(screen) -> set[str]:
    """The milestones a frame drawn now reaches: any screen is the window, the procedure screen,
    and that screen with its ultrasound image ready (asked before drawing: what the frame shows)."""
    shows = {"window"}
    if getattr(screen, "name", None) == "procedure":
        shows.add("procedure")
        session = getattr(screen, "session", None)
        if session is not None and session.ultrasound_ready and screen.ultrasound_pending() is None:
            shows.add("ultrasound")
    return shows


class StartupProbe:
    """Writes each milestone once, at the first presented frame that reaches it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.logged: set[str] = set()

    @classmethod
    def from_env(cls) -> StartupProbe | None:
        value = os.environ.get(ENV)
        return cls(Path(value)) if value else None

    def presented(self, shows: set[str]) -> bool:
        """A frame reaching `shows` (frame_shows, before drawing) is on screen; True once all were logged."""
        now_s, cpu_s = time.time(), time.process_time()
        new = [name for name in MILESTONES if name in shows and name not in self.logged]
        if new:
            with self.path.open("a", encoding="utf-8") as out:
                for name in new:
                    out.write(json.dumps({"milestone": name, "t_s": now_s, "cpu_s": round(cpu_s, 3)}) + "\n")
            self.logged.update(new)
        return self.logged.issuperset(MILESTONES)


def read_milestones(path: Path) -> dict[str, tuple[float, float]]:
    """milestone -> (wall-clock seconds, CPU seconds of the process), from a probe's file (missing ones are absent)."""
    found: dict[str, tuple[float, float]] = {}
    if not Path(path).is_file():
        return found
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            found.setdefault(str(record["milestone"]), (float(record["t_s"]), float(record["cpu_s"])))
        except (ValueError, KeyError, TypeError):
            continue
    return found
