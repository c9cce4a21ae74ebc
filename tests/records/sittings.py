"""Exam sittings for the store and command tests: a three-case exam over the shipped cases whose
expert and novice replays (tests/reports/cohort.py) give each case's attempt, scored for real."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from simulator.core.exam_rule import evaluate
from simulator.records.sitting import new_sitting
from simulator.scenario.exam_loader import load_exam
from tests.exam.test_exam_file import write_exam
from tests.reports.cohort import CASES, attempt

START = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
EXAM_ID = "three-case"
# The expert replays are recorded with seed 1, so the exam names that seed for each case.
EXAM = f"""\
# yaml-language-server: $schema=./exam.schema.json
exam_version: 1
id: {EXAM_ID}
title: Three cases
instructions: Treat each patient.
time_limit_s: 600
show_at_end: scores
pass_rule:
  kind: each_case_passed
cases:
""" + "".join(f"  - case: {case_id}\n    seed: 1\n" for case_id in CASES)


def three_case_exam(folder: Path):
    return load_exam(write_exam(folder, EXAM, name="three.yaml"))


def case_attempts(candidate: str, kinds=("expert", "expert", "expert"), start: datetime = START) -> list:
    """One exam attempt per case (the replay kind given per case), ten minutes apart."""
    return [attempt(candidate, case_id, kind, start + timedelta(minutes=10 * i), exam_id=EXAM_ID)
            for i, (case_id, kind) in enumerate(zip(CASES, kinds))]


def sitting_of(loaded, candidate: str, attempts: list, cases_resumed: int = 0):
    """The (unsigned) sitting over `attempts` with the verdict the exam's rule gives them."""
    verdict = evaluate(loaded.exam.pass_rule, [a.result for a in attempts])
    return new_sitting(loaded, candidate_id=candidate, attempts=attempts, verdict=verdict,
                       started_at=attempts[0].started_at, ended_at=attempts[-1].ended_at,
                       cases_resumed=cases_resumed, station="test-station")
