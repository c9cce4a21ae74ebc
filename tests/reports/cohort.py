"""Attempts for report tests, scored for real: the shipped expert and novice replays run through Session.

A pass is the case's expert replay, a failure one of its novice replays (taken in turn), so
every total, criterion and critical error in a test report is what the scoring really gives.
Each replay is scored once and its result reused.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import datetime, timedelta, timezone

from simulator import paths
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.records.attempt import RATING_DOMAINS, Attempt, Rating, new_attempt
from simulator.scenario import load_agents, load_library

CASES = ("s1_upper_trapezius_thin", "s2_levator_scapulae_warfarin", "s3_infraspinatus_diabetic")
START = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)


@functools.cache
def _library():
    catalogue = load_agents()
    return catalogue, {case.id: case for case in load_library(catalogue=catalogue)}


@functools.cache
def _session(case_id: str, kind: str) -> Session:
    """The finished Session of the replay `case_id.kind.jsonl` (it records its actions and scores once)."""
    catalogue, cases = _library()
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case_id}.{kind}.jsonl")
    session = Session(cases[case_id], catalogue, header.get("seed", 0))
    session.run(timed)
    return session


def scored(case_id: str, kind: str) -> dict:
    """The result of the replay `case_id.kind.jsonl`."""
    return _session(case_id, kind).result()


def novice_kinds(case_id: str) -> list[str]:
    return sorted(p.name.split(".")[1] for p in paths.REPLAYS_DIR.glob(f"{case_id}.novice-*.jsonl"))


def rating(examiner: str, overall: int, comment: str) -> Rating:
    return Rating(global_score_1_5={d: overall for d in RATING_DOMAINS}, comment=comment, examiner=examiner,
                  rated_at=START)


def attempt(trainee: str, case_id: str, kind: str, started_at: datetime, rating: Rating | None = None,
            exam_id: str | None = None) -> Attempt:
    """An attempt whose result is the replay `case_id.kind.jsonl` scored ('expert', 'novice-pleura', ...)."""
    made = new_attempt(_session(case_id, kind), trainee_id=trainee, mode="exam" if exam_id else "assessment",
                       started_at=started_at, ended_at=started_at + timedelta(minutes=5), exam_id=exam_id,
                       station="test-station")
    return dataclasses.replace(made, rating=rating)


def series(trainee: str, case_id: str, outcomes: str, start: datetime = START, step=timedelta(days=1),
           exam_id: str | None = None) -> list:
    """Attempts from a pattern like 'FFPPP' (F failed, P passed), one every `step`."""
    kinds = novice_kinds(case_id)
    return [attempt(trainee, case_id, "expert" if mark == "P" else kinds[i % len(kinds)], start + i * step,
                    exam_id=exam_id) for i, mark in enumerate(outcomes)]


# ~5 trainees x 3 cases x several attempts: one learns quickly, one slowly, one keeps failing s1, ...
COHORT_PATTERNS = {
    "ana.silva": ("FPPPP", "PPPP", "FPPP"),
    "ben.okafor": ("FFFPPP", "FPPP", "FFPP"),
    "chen.li": ("FFFFF", "FFPF", "FPFP"),
    "dara.nolan": ("PPPPPPPPPPPPPPPPPPPP", "PPP", "PP"),
    "eli.moreau": ("FPFPPP", "PFPP", "FFFP"),
}


def cohort() -> list[Attempt]:
    attempts = []
    for n, (trainee, patterns) in enumerate(COHORT_PATTERNS.items()):
        for k, (case_id, pattern) in enumerate(zip(CASES, patterns)):
            start = START + timedelta(hours=n, minutes=20 * k)
            attempts += series(trainee, case_id, pattern, start=start)
    attempts[0] = dataclasses.replace(attempts[0], rating=rating(
        "Dr R. Examiner", 2, "Lost the needle tip near the vessel; aspirate every time."))
    attempts[-1] = dataclasses.replace(attempts[-1], rating=rating("Dr S. Examiner", 4, "Calm, tidy & safe <good> technique."))
    return attempts
