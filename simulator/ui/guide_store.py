"""Where the guided case keeps its progress: one small JSON file in the user data folder.

The file holds the case, the seed and the actions so far (core.coaching.tutorial), so
leaving the guided case and coming back returns to the same patient at the same step.
A file that cannot be read is treated as no progress: the guided case starts afresh.
It also remembers a "Not now" on the picker's offer (`dismissed`), so the offer is not
pressed on a user who declined it; G still opens the guided case.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs

from simulator.core.coaching.tutorial import read_progress
from simulator.records import RecordError, write_text_atomic

GUIDE_FILE_NAME = "guided.json"


def default_guide_file() -> Path:
    """The user data folder's guided-case progress file (platform specific)."""
    return Path(platformdirs.user_data_dir("tpi-sim", appauthor=False)) / GUIDE_FILE_NAME


def load_progress(path: Path | None):
    """(case id, seed, timed actions, completed), or None when there is no readable progress."""
    if path is None:
        return None
    try:
        return read_progress(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_progress(path: Path | None, data: dict) -> str | None:
    """Write the progress atomically; returns an error text instead of raising (the case goes on)."""
    if path is None:
        return None
    try:
        write_text_atomic(path, json.dumps(data, separators=(",", ":")) + "\n")
    except RecordError as exc:
        return str(exc)
    return None


def read_dismissed(path: Path | None) -> bool:
    """True when the user put the picker's offer of the guided case away ("Not now")."""
    if path is None:
        return False
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("dismissed") is True


def save_dismissed(path: Path | None) -> str | None:
    """Remember "Not now", keeping any progress the file holds; an error text instead of raising."""
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    data = data if isinstance(data, dict) else {}
    return save_progress(path, {**data, "dismissed": True})
