"""Checking an attempt against its signature, its case and its own replay.

An attempt holds when all of these agree: the signature was made with this programme's key
over exactly these fields; the replay was recorded for the trainee the attempt is filed
under; the case has the content it had when the attempt was made; and the replay, re-scored
now, gives the stored result. Each disagreement is reported in words that say what was
changed: unknown key, edited result, edited replay, replay moved to another trainee, case
changed.
"""

from __future__ import annotations

from simulator.core.session import Session
from simulator.records.attempt import Attempt, case_hash
from simulator.records.replay_file import ReplayError, parse_replay_lines
from simulator.records.signing import canonical, problem


def attempt_problems(attempt: Attempt, key: bytes, case, catalogue) -> list[str]:
    """Every reason `attempt` does not hold (empty when it does). `case` is the case it names,
    as loaded now, or None when it could not be found."""
    reasons = []
    header = attempt.replay[0] if attempt.replay and isinstance(attempt.replay[0], dict) else {}
    recorded_by = header.get("trainee")
    if recorded_by is not None and recorded_by != attempt.trainee_id:
        reasons.append(f"replay moved to another trainee: it was recorded by {recorded_by!r}, "
                       f"the attempt is filed under {attempt.trainee_id!r}")
    signature = problem(attempt, key)
    if signature:
        reasons.append(signature)
    if case is None:
        reasons.append(f"case {attempt.case_id} not found: give the case file with --case FILE")
        return reasons
    if case_hash(case) != attempt.case_hash:
        reasons.append(f"case changed: {case.id} is not the content the attempt was made on "
                       f"(hash {case_hash(case)[:12]}, recorded {attempt.case_hash[:12]})")
        return reasons
    try:
        head, timed = parse_replay_lines(attempt.replay, f"attempt {attempt.attempt_id} replay")
    except ReplayError as exc:
        return reasons + [f"the replay cannot be read: {exc}"]
    rescored = Session(case, catalogue, int(head.get("seed", attempt.seed))).run(timed)
    if canonical(rescored) != canonical(attempt.result):
        reasons.append(f"the replay re-scores to {rescored.get('total')}, not to the stored result "
                       f"({attempt.total}): result or replay edited, or scored by another version")
    return reasons
