"""Saving an assessment attempt: the result JSON and the replay JSONL together, atomically, via records."""

from __future__ import annotations

import re
import time
from pathlib import Path

import platformdirs

from simulator.records import RecordError, format_replay, result_to_json, write_folder_atomic


def default_results_dir() -> Path:
    """The user data folder for TPI Sim's results (platform specific)."""
    return Path(platformdirs.user_data_dir("tpi-sim", appauthor=False)) / "results"


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text.strip()).strip("-")[:40] or "anonymous"


def replay_header(case, seed: int, trainee: str, mode: str) -> dict:
    return {"case": case.id, "seed": int(seed), "trainee": trainee, "mode": mode}


RESULT_NAME = "result.json"
REPLAY_NAME = "replay.jsonl"


def save_attempt(folder: Path, case, session, timed, trainee: str, seed: int) -> dict:
    """Write the attempt as the folder <stamp>_<trainee>_<case>/ holding result.json and replay.jsonl.

    Both files appear together in one rename or not at all (records.write_folder_atomic), and a
    second save in the same second gets its own folder. Returns the two paths, or the error text.
    """
    folder = Path(folder)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}_{_slug(trainee)}_{case.id}"
    try:
        files = {
            RESULT_NAME: result_to_json(session.result()),
            REPLAY_NAME: format_replay(replay_header(case, seed, trainee, "assessment"), timed),
        }
        written = write_folder_atomic(folder, stem, files)
    except (OSError, RecordError) as exc:
        return {"error": f"could not save the attempt in {folder}: {exc}"}
    return {"result": written / RESULT_NAME, "replay": written / REPLAY_NAME}
