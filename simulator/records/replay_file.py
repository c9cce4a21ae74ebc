"""Replay files: JSON Lines of timed actions, with an optional header line.

    {"format": "tpi-sim-replay/1", "case": "upper-trapezius-thin", "seed": 7}
    {"t": 0.0, "type": "consent"}
    {"t": 4.5, "type": "palpate", "x_mm": 61.0, "y_mm": 40.5, "pressure": 0.7}

A person reads and edits these, so a bad line is refused with `file:line: message`.
Blank lines and lines starting with `#` are ignored.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from simulator.core.actions import Action, action_from_dict, action_to_dict
from simulator.records.atomic import write_text_atomic

REPLAY_FORMAT = "tpi-sim-replay/1"
MAX_REPLAY_BYTES = 20 * 1024 * 1024


class ReplayError(Exception):
    """A replay file cannot be used; the message starts with `file:line:`."""


def _header_ok(data: dict) -> bool:
    return "t" not in data and "type" not in data and ("case" in data or "format" in data)


def parse_replay(text: str, source: str = "<replay>") -> tuple[dict, list[tuple[float, Action]]]:
    header: dict = {}
    timed: list[tuple[float, Action]] = []
    last_t = 0.0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReplayError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(data, dict):
            raise ReplayError(f"{where}: each line must be a JSON object, got {type(data).__name__}")
        if not timed and not header and _header_ok(data):
            fmt = data.get("format", REPLAY_FORMAT)
            if fmt != REPLAY_FORMAT:
                raise ReplayError(f"{where}: unsupported replay format {fmt!r}; expected {REPLAY_FORMAT!r}")
            seed = data.get("seed", 0)
            if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
                raise ReplayError(f"{where}: 'seed' must be a whole number ≥ 0, got {seed!r}")
            header = data
            continue
        t = data.get("t")
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t < 0:
            raise ReplayError(f"{where}: 't' must be a time in seconds ≥ 0, got {t!r}")
        if t < last_t:
            raise ReplayError(f"{where}: times must not go backwards ({t} after {last_t})")
        try:
            action = action_from_dict(data)
        except ValueError as exc:
            raise ReplayError(f"{where}: {exc}") from None
        timed.append((float(t), action))
        last_t = float(t)
    return header, timed


def read_replay(path: Path | str) -> tuple[dict, list[tuple[float, Action]]]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_REPLAY_BYTES:
            raise ReplayError(f"{path}:1: file is larger than {MAX_REPLAY_BYTES // (1024 * 1024)} MB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReplayError(f"{path}:0: no such file") from None
    except UnicodeDecodeError:
        raise ReplayError(f"{path}:1: not a text file (UTF-8 expected)") from None
    except IsADirectoryError:
        raise ReplayError(f"{path}:0: is a folder, not a replay file") from None
    except OSError as exc:
        raise ReplayError(f"{path}:0: cannot read ({exc.strerror or exc})") from None
    return parse_replay(text, str(path))


def format_replay(header: dict, timed: list[tuple[float, Action]]) -> str:
    lines = [json.dumps({"format": REPLAY_FORMAT, **header}, sort_keys=True)]
    for t, action in timed:
        lines.append(json.dumps({"t": round(float(t), 4), **action_to_dict(action)}))
    return "\n".join(lines) + "\n"


def write_replay(path: Path | str, header: dict, timed: list[tuple[float, Action]]) -> Path:
    return write_text_atomic(path, format_replay(header, timed))
