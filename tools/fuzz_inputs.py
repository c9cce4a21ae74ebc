"""Hostile variants of the shipped cases and replays, and the promise every variant must keep.

Shared by `tools/fuzz.py` (a fixed-seed run over thousands of variants, figures in
docs/robustness.md) and the property test `tests/test_hostile_inputs.py` (hypothesis drives
the same mutations, so a failure shrinks to a small edit). Mutations are structure-aware:
they change one value, list or line of a real file, mostly numbers pushed to the edge of, or
far past, what the schema and the replay reader accept, since a file that still validates is
where a crash or a freeze would hide.

The promise, for a case: loading gives a Case or CaseError (never another exception), and a
case that loads also builds a session, plays a short procedure, renders one ultrasound frame
and draws the palpation view. For a replay: `tpi-sim replay` exits 0 or 1, never raises, and
an error is one `file:line: message` line. Both within a CPU-time budget.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import json
import math
import signal
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json\n"
T = TypeVar("T")

EDGE_NUMBERS = (
    0, 0.0, -0.0, 1, -1, 0.5, 1e-12, -1e-12, 1e-300, 5e-324, 10, 100, 999.999, 1000, 1000.001, 1999, 2000, 2000.5,
    -2000, 4096, 10**6, 1e12, -1e12, 1e32, 1.6e32, 1e100, 1e308, -1e308, 2**53, 2**63, 10**18,
)
HOSTILE_JSON = (
    "1e9", "-1", "1" + "0" * 400, "NaN", "Infinity", "-Infinity", "1e400", "\"x\"", "null", "true", "[]", "{}",
    "{\"a\": 1}", "[[[[[[[[[[]]]]]]]]]]", "\"" + "x" * 10_000 + "\"", "123456789012345678901234567890", "0.00001",
)


class Chooser(Protocol):
    """Where the random choices come from: random.Random in the script, hypothesis in the test."""

    def choice(self, options: Sequence[T]) -> T: ...

    def integer(self, low: int, high: int) -> int: ...


class RandomChooser:
    def __init__(self, rng):
        self.rng = rng

    def choice(self, options):
        return options[self.rng.randrange(len(options))]

    def integer(self, low, high):
        return self.rng.randint(low, high)


# --------------------------------------------------------------------------- cases


@functools.cache
def case_sources() -> tuple[Path, ...]:
    return tuple(sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "agents.yaml"))


@functools.cache
def _case_data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _leaves(data: Any, prefix: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, prefix + (key,))
    elif isinstance(data, list):
        yield prefix, data
        for index, value in enumerate(data):
            yield from _leaves(value, prefix + (index,))
    else:
        yield prefix, data


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _number(value: float, choose: Chooser) -> float | int:
    kind = choose.choice(("edge", "scale", "nudge"))
    if kind == "edge":
        return choose.choice(EDGE_NUMBERS)
    if kind == "scale":
        return value * choose.choice((-1, 1e-9, 0.001, 2, 10, 100, 1e4, 1e8, 1e30))
    return value + choose.choice((1e-9, -1e-9, 1e-6, 0.5, -0.5, 50, -50))


def mutate_case(choose: Chooser, source: Path | None = None) -> tuple[Path, str]:
    """(source, YAML text) of a shipped case with one to three hostile edits."""
    source = source or choose.choice(case_sources())
    data = copy.deepcopy(_case_data(source))
    for _ in range(choose.integer(1, 3)):
        leaves = list(_leaves(data))
        numbers = [(p, v) for p, v in leaves if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
        lists = [(p, v) for p, v in leaves if p and isinstance(v, list) and v]
        action = choose.choice(("number", "number", "number", "list", "copy"))
        if action == "number" and numbers:
            path, value = choose.choice(numbers)
            _set(data, path, _number(value, choose))
        elif action == "list" and lists:
            path, items = choose.choice(lists)
            how = choose.choice(("repeat", "one", "empty", "near"))
            if how == "repeat":
                items = items * choose.choice((2, 10, 60))
            elif how == "one":
                items = items[:1]
            elif how == "empty":
                items = []
            else:  # the same point again, a hair apart: stresses splines and outlines
                first = copy.deepcopy(items[0])
                if isinstance(first, dict):
                    for key in ("x_mm", "y_mm"):
                        if isinstance(first.get(key), (int, float)):
                            first[key] += choose.choice((0.0, 1e-12, 1e-6))
                items = [items[0], first, *items[1:]]
            _set(data, path, items)
        elif numbers:  # a number from elsewhere in the case, e.g. a depth as a coordinate
            (path, _), (_, value) = choose.choice(numbers), choose.choice(numbers)
            _set(data, path, value)
    return source, MODELINE + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# --------------------------------------------------------------------------- replays


@functools.cache
def replay_sources() -> tuple[Path, ...]:
    return tuple(sorted((SCENARIOS / "replays").glob("*.jsonl")))


def case_for_replay(replay: Path) -> Path:
    return SCENARIOS / (replay.name.split(".")[0] + ".yaml")


def _hostile_value(choose: Chooser) -> str:
    return choose.choice(HOSTILE_JSON) if choose.integer(0, 1) else json.dumps(choose.choice(EDGE_NUMBERS))


def mutate_replay(choose: Chooser, source: Path | None = None) -> tuple[Path, bytes]:
    """(source, bytes) of a shipped replay with one to three hostile edits."""
    source = source or choose.choice(replay_sources())
    lines = source.read_text(encoding="utf-8").splitlines()
    for _ in range(choose.integer(1, 3)):
        at = choose.integer(0, len(lines) - 1) if lines else 0
        action = choose.choice(("field", "field", "field", "type", "repeat", "drop", "swap", "raw", "gap"))
        line = lines[at] if lines else "{}"
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):  # a line an earlier edit already broke
            obj = None
        if action in ("field", "type", "gap") and isinstance(obj, dict) and obj:
            key = "type" if action == "type" else ("t" if action == "gap" else choose.choice(sorted(obj)))
            text = json.dumps({k: v for k, v in obj.items() if k != key})[:-1]
            if action == "gap":
                value = json.dumps(choose.choice((600, 3600, 7199.99, 7200, 7200.01, 86400)))
            else:
                value = _hostile_value(choose)
            lines[at] = (text + ", " if len(text) > 1 else "{") + f'"{key}": {value}' + "}"
        elif action == "repeat":
            lines[at:at] = [line] * choose.choice((10, 1000, 20_000))
        elif action == "drop" and lines:
            del lines[at]
        elif action == "swap" and len(lines) > 1:
            other = choose.integer(0, len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        else:
            cut = choose.integer(0, len(line))
            lines[at] = line[:cut] + choose.choice(("\x00", "\ufeff", "]", "{", "\"", "\\u0000", "[" * 5000, "\n")) + line[cut:]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if choose.integer(0, 20) == 0:  # now and then a byte that is not UTF-8
        cut = choose.integer(0, len(data))
        data = data[:cut] + b"\xff\xfe" + data[cut:]
    return source, data


# --------------------------------------------------------------------------- the promise


class Broken(AssertionError):
    """A variant broke the promise: the kind ("traceback", "hang", "fails to play", "bad message")."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@contextlib.contextmanager
def cpu_budget(seconds: float):
    """Raise Broken("hang") once the process has used `seconds` of CPU inside the block."""
    def expired(signum, frame):
        raise Broken("hang", f"more than {seconds:g} s of CPU")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Outcome:
    valid: bool  # the case loaded / the replay was scored
    cpu_s: float


def check_case_variant(path: Path, text: str, catalogue, budget_s: float = 20.0) -> Outcome:
    """Write, load and (when it loads) play the variant; Broken when the promise is not kept."""
    from simulator.scenario import CaseError, load_case

    path.write_text(text, encoding="utf-8")
    start = time.process_time()
    with cpu_budget(budget_s):
        try:
            case = load_case(path, catalogue)
        except CaseError as exc:
            for diagnostic in exc.diagnostics:
                if not str(diagnostic).startswith(f"{path}:{diagnostic.line}:{diagnostic.col}: ") or "\n" in str(diagnostic):
                    raise Broken("bad message", str(diagnostic)[:200]) from None
            return Outcome(False, time.process_time() - start)
        except Broken:
            raise
        except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
            raise Broken("traceback", f"loading: {type(exc).__name__}: {exc}"[:300]) from exc
        try:
            play_briefly(case, catalogue)
        except Broken:
            raise
        except Exception as exc:  # noqa: BLE001
            raise Broken("fails to play", f"{type(exc).__name__}: {exc}"[:300]) from exc
    return Outcome(True, time.process_time() - start)


def play_briefly(case, catalogue) -> None:
    """A session, a short procedure at the first trigger point, one ultrasound frame, the palpation view."""
    from simulator.core import actions as A
    from simulator.core.session import Session

    point = case.trigger_points[0]
    session = Session(case, catalogue, 0)
    session.run([
        (0.0, A.Palpate(x_mm=point.x_mm, y_mm=point.y_mm, pressure=0.8)),
        (0.5, A.Probe(x_mm=point.x_mm, y_mm=point.y_mm, heading_deg=0)),
        (1.0, A.ChooseNeedle(gauge=25, length_mm=90)),
        (1.5, A.Insert(x_mm=point.x_mm, y_mm=point.y_mm, angle_deg=60, heading_deg=0)),
        (2.0, A.Advance(mm=min(point.depth_mm, 80.0))),
    ])
    frame = session.frame()
    if not (frame.image.size and math.isfinite(float(frame.image.mean()))):
        raise Broken("fails to play", "the ultrasound frame is empty or not finite")
    draw_palpation_view(case)


def draw_palpation_view(case) -> None:
    """The practice palpation view with the probe at the case's default pose, off screen."""
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from simulator.core.geometry import ProbePose
    from simulator.render.palpation import PalpationRenderer

    pygame.display.init()
    pygame.font.init()
    surface = pygame.Surface((480, 400))
    renderer = PalpationRenderer(case, _fonts(), pygame.Rect(0, 0, 480, 400), show_muscles=True)
    probe = case.body_region.default_probe
    renderer.draw(surface, probe=ProbePose(probe.x_mm, probe.y_mm, probe.heading_deg, 0.2))


@functools.cache
def _fonts():
    from simulator.render.palette import Fonts

    return Fonts()


def check_replay_variant(case: Path, path: Path, data: bytes, budget_s: float = 20.0) -> Outcome:
    """Run `tpi-sim replay CASE path` in-process; Broken when it raises, hangs or prints a bad error."""
    from simulator.cli import main

    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    start = time.process_time()
    with cpu_budget(budget_s):
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["replay", str(case), str(path)])
        except Broken:
            raise
        except BaseException as exc:  # noqa: BLE001 - SystemExit and RecursionError included
            raise Broken("traceback", f"{type(exc).__name__}: {exc}"[:300]) from exc
    text = err.getvalue()
    if code not in (0, 1):
        raise Broken("traceback", f"exit status {code}")
    if code == 1:
        lines = text.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith(f"{path}:") or "Traceback" in text:
            raise Broken("bad message", text[:300])
    return Outcome(code == 0, time.process_time() - start)
