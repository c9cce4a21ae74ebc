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


GUEST_TRAINEE_ID = "guest"  # practice with no trainee id: every attempt is kept, under this station-wide id


def prepare_attempt(session, trainee: str, mode: str, started_at: datetime) -> dict:
    """{"pending": Attempt} ready to save, or {"error": why not} (an assessment without a valid id).
    Practice without a trainee id is kept too, under GUEST_TRAINEE_ID (its 'My attempts' list)."""
    if mode == "practice" and not trainee.strip():
        trainee = GUEST_TRAINEE_ID
    try:
        trainee_id = check_trainee_id(trainee)
    except ValueError as exc:
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
