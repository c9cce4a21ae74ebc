"""One exam sitting as a programme keeps it: who sat which exam, when, its attempts and the verdict.

A sitting is the record of the exam as a whole, next to the attempts of its cases (one
attempt per case, each signed on its own). It holds the exam's id and content hash, the
candidate, the start and end, the attempt ids in exam order, the pass rule the verdict was
given under and the verdict with its reasons, so `tpi-sim verify` can check later that the
attempts are still there, still verify, and still give that verdict under that rule. Like
records.attempt these are plain frozen dataclasses with no database in sight; the stores
decide how a sitting is kept and records.signing signs it with the attempts' key.

`resume_plan` decides, from the attempts already stored, where an interrupted sitting picks
up: the cases whose attempt is stored are not taken again.
"""

from __future__ import annotations

import hashlib
import json
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from simulator import __version__
from simulator.records.attempt import Attempt, aware_utc, parse_time, case_hash, check_trainee_id, utc_text


def exam_hash(exam) -> str:
    """SHA-256 of the exam's validated content (canonical JSON): another case list, seed, time
    limit or pass rule changes it; comments and layout of the YAML file do not."""
    text = json.dumps(exam.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verdict_to_dict(verdict) -> dict:
    """The parts of core.exam_rule.ExamVerdict a sitting keeps (each case's numbers are in its attempt)."""
    return {"passed": bool(verdict.passed), "mean_total": float(verdict.mean_total), "reasons": list(verdict.reasons)}


@dataclass(frozen=True)
class ExamSitting:
    """One candidate's sitting of one exam. `attempt_ids` in exam order; `pass_rule` the exam's
    pass_rule as JSON data; `verdict` as verdict_to_dict gives it; `cases_resumed` how many of the
    cases were taken over from an earlier, interrupted run of the exam (0: no interruption)."""

    sitting_id: str
    exam_id: str
    exam_hash: str
    candidate_id: str
    station: str
    software_version: str
    started_at: datetime
    ended_at: datetime
    attempt_ids: tuple[str, ...]
    pass_rule: dict
    verdict: dict
    cases_resumed: int = 0
    signature: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidate_id", check_trainee_id(self.candidate_id))
        object.__setattr__(self, "attempt_ids", tuple(str(a) for a in self.attempt_ids))
        if not self.attempt_ids:
            raise ValueError("an exam sitting needs the attempts of its cases")
        if isinstance(self.cases_resumed, bool) or not isinstance(self.cases_resumed, int) or \
                not 0 <= self.cases_resumed <= len(self.attempt_ids):
            raise ValueError(f"cases_resumed must be a whole number from 0 to {len(self.attempt_ids)}, "
                             f"got {self.cases_resumed!r}")
        if not isinstance(self.verdict, dict) or not isinstance(self.verdict.get("passed"), bool):
            raise ValueError("an exam sitting's verdict needs 'passed' (true or false)")
        object.__setattr__(self, "started_at", aware_utc(self.started_at, "started_at"))
        object.__setattr__(self, "ended_at", aware_utc(self.ended_at, "ended_at"))

    @property
    def passed(self) -> bool:
        return self.verdict["passed"]

    @property
    def mean_total(self) -> float | None:
        return self.verdict.get("mean_total")


@dataclass(frozen=True)
class SittingFilter:
    """Which sittings to list or export; None means any. `since` (inclusive) and `until`
    (exclusive) compare with started_at."""

    candidate_id: str | None = None
    exam_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def new_sitting(loaded, *, candidate_id: str, attempts: list[Attempt], verdict, started_at: datetime,
                ended_at: datetime | None = None, cases_resumed: int = 0, station: str | None = None) -> ExamSitting:
    """The sitting of `loaded` (scenario.exam_loader.LoadedExam) over its cases' `attempts`, in exam order."""
    return ExamSitting(
        sitting_id=uuid.uuid4().hex, exam_id=loaded.exam.id, exam_hash=exam_hash(loaded.exam),
        candidate_id=candidate_id, station=station or socket.gethostname(), software_version=__version__,
        started_at=started_at, ended_at=ended_at or datetime.now(timezone.utc),
        attempt_ids=tuple(a.attempt_id for a in attempts), pass_rule=loaded.exam.pass_rule.model_dump(mode="json"),
        verdict=verdict_to_dict(verdict), cases_resumed=cases_resumed,
    )


def sitting_to_dict(sitting: ExamSitting, with_signature: bool = True) -> dict:
    """The sitting as JSON-ready data (times as UTC ISO 8601 text): exports and the signature start here."""
    data = {
        "sitting_id": sitting.sitting_id, "exam_id": sitting.exam_id, "exam_hash": sitting.exam_hash,
        "candidate_id": sitting.candidate_id, "station": sitting.station,
        "software_version": sitting.software_version, "started_at": utc_text(sitting.started_at),
        "ended_at": utc_text(sitting.ended_at), "attempt_ids": list(sitting.attempt_ids),
        "pass_rule": sitting.pass_rule, "verdict": sitting.verdict, "cases_resumed": sitting.cases_resumed,
    }
    if with_signature:
        data["signature"] = sitting.signature
    return data


def sitting_from_dict(data: dict) -> ExamSitting:
    """A sitting from `sitting_to_dict` data; ValueError (or KeyError naming the field) when it is not one."""
    return ExamSitting(
        sitting_id=str(data["sitting_id"]), exam_id=data["exam_id"], exam_hash=data["exam_hash"],
        candidate_id=data["candidate_id"], station=data["station"], software_version=data["software_version"],
        started_at=parse_time(data["started_at"], "started_at"), ended_at=parse_time(data["ended_at"], "ended_at"),
        attempt_ids=tuple(data["attempt_ids"]), pass_rule=data["pass_rule"], verdict=data["verdict"],
        cases_resumed=data.get("cases_resumed", 0), signature=data.get("signature", ""),
    )


def resume_plan(loaded, attempts: list[Attempt], sittings: list[ExamSitting]) -> dict[int, Attempt]:
    """The attempts an interrupted sitting of `loaded` already holds: case index -> its stored attempt.

    `attempts` are the candidate's stored attempts in this exam and `sittings` their finished
    sittings of it. An attempt counts when no finished sitting holds it, it began after the last
    finished sitting ended, and it was made at that exam case as the exam stands now (same case
    id, seed and case content); the first such attempt per case is kept. Empty: nothing to resume.
    """
    used = {attempt_id for sitting in sittings for attempt_id in sitting.attempt_ids}
    after = max((s.ended_at for s in sittings), default=None)
    wanted = {(case.id, entry.seed, case_hash(case)): index
              for index, (case, entry) in enumerate(zip(loaded.cases, loaded.exam.cases))}
    plan: dict[int, Attempt] = {}
    for attempt in sorted(attempts, key=lambda a: (a.started_at, a.ended_at, a.attempt_id)):
        if attempt.attempt_id in used or attempt.mode != "exam" or attempt.exam_id != loaded.exam.id:
            continue
        if after is not None and attempt.started_at < after:
            continue
        index = wanted.get((attempt.case_id, attempt.seed, attempt.case_hash))
        if index is not None and index not in plan:
            plan[index] = attempt
    return plan
