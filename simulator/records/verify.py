"""Checking an attempt against its signature, its case and its own replay.

An attempt holds when all of these agree: the signature was made with this programme's key
over exactly these fields; the replay was recorded for the trainee the attempt is filed
under; the case has the content it had when the attempt was made; and the replay, re-scored
now, gives the stored result. Each disagreement is reported in words that say what was
changed: unknown key, edited result, edited replay, replay moved to another trainee, case
changed.

An exam sitting holds when its own signature does, every attempt it names is there and holds,
each of them is an attempt of that exam by that candidate, and the exam's pass rule (kept in
the sitting, under the signature) gives the stored verdict for those attempts' results.
"""

from __future__ import annotations

from pydantic import ValidationError

from simulator.core.exam_rule import evaluate
from simulator.core.session import Session
from simulator.records.attempt import Attempt, case_hash
from simulator.records.replay_file import ReplayError, parse_replay_lines
from simulator.records.signing import canonical, problem, sitting_problem
from simulator.records.sitting import ExamSitting, verdict_to_dict
from simulator.scenario.exam_schema import PassRule


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


def _verdict_word(verdict: dict) -> str:
    return "PASS" if verdict.get("passed") else "FAIL"


def sitting_problems(sitting: ExamSitting, key: bytes, attempts: dict[str, Attempt | None],
                     failing: set[str]) -> list[str]:
    """Every reason `sitting` does not hold (empty when it does). `attempts` maps each of its
    attempt ids to the attempt found (None: not found); `failing` holds the ids whose own check
    (attempt_problems) failed."""
    reasons = []
    signature = sitting_problem(sitting, key)
    if signature:
        reasons.append(signature)
    found = []
    for number, attempt_id in enumerate(sitting.attempt_ids, start=1):
        attempt = attempts.get(attempt_id)
        if attempt is None:
            reasons.append(f"case {number}'s attempt {attempt_id} is missing")
            continue
        found.append(attempt)
        if attempt_id in failing:
            reasons.append(f"case {number}'s attempt {attempt_id} does not verify")
        if attempt.trainee_id != sitting.candidate_id:
            reasons.append(f"case {number}'s attempt {attempt_id} was made by {attempt.trainee_id!r}, "
                           f"not by the candidate {sitting.candidate_id!r}")
        if attempt.mode != "exam" or attempt.exam_id != sitting.exam_id:
            reasons.append(f"case {number}'s attempt {attempt_id} is not an attempt of exam {sitting.exam_id}")
    if len(found) < len(sitting.attempt_ids):
        return reasons
    try:
        rule = PassRule.model_validate(sitting.pass_rule)
    except ValidationError:
        return reasons + ["the pass rule stored with the sitting is not a pass rule"]
    expected = verdict_to_dict(evaluate(rule, [attempt.result for attempt in found]))
    if canonical(expected) != canonical(sitting.verdict):
        reasons.append(f"the stored verdict ({_verdict_word(sitting.verdict)}, mean total "
                       f"{sitting.verdict.get('mean_total')}) is not what the exam's rule gives for its attempts "
                       f"({_verdict_word(expected)}, mean total {expected['mean_total']:g})")
    return reasons
