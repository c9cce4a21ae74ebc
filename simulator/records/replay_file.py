"""Replay files: JSON Lines of timed actions, with an optional header line.

    {"format": "tpi-sim-replay/1", "case": "upper-trapezius-thin", "seed": 7}
    {"t": 0.0, "type": "consent"}
    {"t": 4.5, "type": "palpate", "x_mm": 61.0, "y_mm": 40.5, "pressure": 0.7}

A person reads and edits these, so a bad line is refused with `file:line: message`.
Blank lines and lines starting with `#` are ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

from simulator.core.actions import Action, action_from_dict, action_to_dict
from simulator.files import FileProblem, decode_utf8, read_regular_bytes
from simulator.records.atomic import write_text_atomic

REPLAY_FORMAT = "tpi-sim-replay/1"
# Limits, documented in docs/actions.md and checked before anything is parsed. A real attempt
# is minutes long and a few thousand lines (a probe drag records one line a tick); the limits
# leave ample room above that while keeping a replay to a few seconds of work.
MAX_SESSION_S = 2 * 60 * 60  # no action later than 2 hours into the session
MAX_REPLAY_LINES = 50_000
MAX_REPLAY_BYTES = 8 * 1024 * 1024
MAX_INT_DIGITS = 18  # seeds and counts fit in 64 bits; longer integers are refused, not converted


class ReplayError(Exception):
    """A replay file cannot be used; the message starts with `file:line:`."""


def _header_ok(data: dict) -> bool:
    return "t" not in data and "type" not in data and ("case" in data or "format" in data)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"the number {text[:12]}... has {len(text.lstrip('-'))} digits; at most {MAX_INT_DIGITS} are read")
    return int(text)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _json_line(line: str, where: str) -> object:
    """One line as JSON: bounded integers, no NaN/Infinity, no nesting deep enough to exhaust the stack."""
    try:
        return json.loads(line, parse_int=_parse_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ReplayError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError as exc:  # from the hooks above
        raise ReplayError(f"{where}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ReplayError(f"{where}: not valid JSON (brackets nested too deeply)") from None


def _check_header(data: dict, where: str) -> dict:
    fmt = data.get("format", REPLAY_FORMAT)
    if fmt != REPLAY_FORMAT:
        raise ReplayError(f"{where}: unsupported replay format {fmt!r}; expected {REPLAY_FORMAT!r}")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ReplayError(f"{where}: 'seed' must be a whole number ≥ 0, got {seed!r}")
    case = data.get("case")
    if case is not None and not isinstance(case, str):
        raise ReplayError(f"{where}: 'case' must be a case id (text), got {json.dumps(case)[:40]}")
    return data


def _check_time(data: dict, where: str, last_t: float) -> float:
    t = data.get("t")
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= MAX_SESSION_S:
        shown = json.dumps(t)[:40] if "t" in data else "nothing"
        raise ReplayError(
            f"{where}: 't' must be a time in seconds from 0 to {MAX_SESSION_S} (the longest session), got {shown}"
        )
    if t < last_t:
        raise ReplayError(f"{where}: times must not go backwards ({t} after {last_t})")
    return float(t)


def parse_replay(text: str, source: str = "<replay>") -> tuple[dict, list[tuple[float, Action]]]:
    lines = text.splitlines()
    if len(lines) > MAX_REPLAY_LINES:
        raise ReplayError(f"{source}:{MAX_REPLAY_LINES + 1}: replay files are limited to {MAX_REPLAY_LINES:,} lines")
    header: dict = {}
    timed: list[tuple[float, Action]] = []
    last_t = 0.0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        data = _json_line(line, where)
        if not isinstance(data, dict):
            raise ReplayError(f"{where}: each line must be a JSON object, got {_json_kind(data)}")
        if not timed and not header and _header_ok(data):
            header = _check_header(data, where)
            continue
        t = _check_time(data, where, last_t)
        try:
            action = action_from_dict(data)
        except ValueError as exc:
            raise ReplayError(f"{where}: {exc}") from None
        timed.append((t, action))
        last_t = t
    return header, timed


def _json_kind(value: object) -> str:
    names = {list: "an array", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def read_replay(path: Path | str) -> tuple[dict, list[tuple[float, Action]]]:
    """Read and check a replay file; ReplayError says `file:line: message` for the first problem.

    Only regular files are read, and the size and line limits are checked before parsing.
    """
    try:
        raw = read_regular_bytes(path, MAX_REPLAY_BYTES, "replay files")
        lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1)
        if lines > MAX_REPLAY_LINES:
            raise FileProblem(f"replay files are limited to {MAX_REPLAY_LINES:,} lines", MAX_REPLAY_LINES + 1)
        text = decode_utf8(raw)
    except FileProblem as problem:
        raise ReplayError(f"{path}:{problem.line}: {problem.message}") from None
    return parse_replay(text, str(path))


def replay_lines(header: dict, timed: list[tuple[float, Action]]) -> list[dict]:
    """The replay as JSON objects, header first: what a file holds one per line, and what an
    attempt in the store keeps (times rounded as the file rounds them, so both re-score alike)."""
    lines = [{"format": REPLAY_FORMAT, **header}]
    lines.extend({"t": round(float(t), 4), **action_to_dict(action)} for t, action in timed)
    return json.loads(json.dumps(lines))  # JSON's own types (lists, not tuples): equal to what is read back


def format_replay(header: dict, timed: list[tuple[float, Action]]) -> str:
    header_line, *actions = replay_lines(header, timed)
    lines = [json.dumps(header_line, sort_keys=True)] + [json.dumps(line) for line in actions]
    return "\n".join(lines) + "\n"


def parse_replay_lines(lines: list[dict], source: str = "<replay>") -> tuple[dict, list[tuple[float, Action]]]:
    """Read back `replay_lines` output (e.g. from the attempt store) with the same checks as a file."""
    return parse_replay("\n".join(json.dumps(line) for line in lines), source)


def write_replay(path: Path | str, header: dict, timed: list[tuple[float, Action]]) -> Path:
    return write_text_atomic(path, format_replay(header, timed))
