"""Saving an assessment attempt: the result JSON and the replay JSONL, atomically, via records."""

from __future__ import annotations

import re
import time
from pathlib import Path

import platformdirs

from simulator.records import RecordError, write_replay, write_result


def default_results_dir() -> Path:
    """The user data folder for TPI Sim's results (platform specific)."""
    return Path(platformdirs.user_data_dir("tpi-sim", appauthor=False)) / "results"


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text.strip()).strip("-")[:40] or "anonymous"


def replay_header(case, seed: int, trainee: str, mode: str) -> dict:
    return {"case": case.id, "seed": int(seed), "trainee": trainee, "mode": mode}


def save_attempt(folder: Path, case, session, timed, trainee: str, seed: int) -> dict:
    """Write <stamp>_<trainee>_<case>.json and .jsonl; returns their paths, or the error text."""
    folder = Path(folder)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}_{_slug(trainee)}_{case.id}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result = session.result()
        result_path = write_result(folder / f"{stem}.json", result)
        replay_path = write_replay(folder / f"{stem}.jsonl", replay_header(case, seed, trainee, "assessment"), timed)
    except (OSError, RecordError) as exc:
        return {"error": f"could not save the attempt in {folder}: {exc}"}
    return {"result": Path(result_path), "replay": Path(replay_path)}
