"""Keeping a finished attempt: the trainer's save goes through the attempt store (records.store).

Practice and assessment attempts are both stored, signed, as one row each; a practice attempt
without a trainee id is not (there is nobody to file it under). A failed save (database busy,
disk full, server unreachable) leaves the attempt in memory, and the debrief offers to retry.
"""

from __future__ import annotations

from datetime import datetime

from simulator.records.attempt import check_trainee_id, new_attempt
from simulator.records.store import StoreError, open_store


def replay_header(case, seed: int, trainee: str, mode: str) -> dict:
    return {"case": case.id, "seed": int(seed), "trainee": trainee, "mode": mode}


def prepare_attempt(session, trainee: str, mode: str, started_at: datetime) -> dict:
    """{"pending": Attempt} ready to save, or {"note": why it is not kept} (practice with no trainee id)."""
    try:
        trainee_id = check_trainee_id(trainee)
    except ValueError as exc:
        if mode == "practice":
            return {"note": "Practice attempt not kept: enter a trainee id in the case list to keep your attempts."}
        return {"error": f"Not saved: {exc}."}
    return {"pending": new_attempt(session, trainee_id=trainee_id, mode=mode, started_at=started_at)}


def save_pending(saved: dict, db_url: str | None, key_file=None) -> dict:
    """Save `saved["pending"]` in the store; returns {"attempt": signed} or {"error", "pending"} to retry."""
    pending = saved.get("pending")
    if pending is None:
        return saved
    try:
        with open_store(db_url, key_file) as store:
            return {"attempt": store.save(pending), "where": store.where}
    except StoreError as exc:
        return {"error": f"Not saved: {exc}.", "pending": pending}
