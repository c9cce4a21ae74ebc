"""The time a candidate has used on the exam case they are taking, kept while they take it.

An interrupted sitting resumes at its first unsaved case (records.sitting.resume_plan). That
case's attempt was never saved, so without a record of its clock it would start again with its
full time limit, and a candidate could close or kill the trainer to gain time. So while a case
runs the exam runner keeps a `CaseClock` in the attempt store, beside the sitting's attempts
(every CLOCK_EVERY_S seconds of the case and at each action; one row per candidate, exam and
case, replaced in one transaction), and a resumed case starts with only the time its limit has left
(`resume_clocks`); a case whose time had run out finishes at once and is scored as it stands.

A clock counts only for the exam as it stands now (same content hash, case and seed), for a case
whose attempt is not stored, and when it was kept after the candidate's last finished sitting of
that exam ended (saving a sitting also drops its candidate's clocks of that exam).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.records.attempt import aware_utc, check_trainee_id
from simulator.records.sitting import exam_hash

CLOCK_EVERY_S = 2.0  # a running case's clock is kept at least this often (seconds of the case)


@dataclass(frozen=True)
class CaseClock:
    """`used_s` seconds of case `case_index` (exam order) used by `candidate_id` in exam `exam_id`;
    `started_at` when that case first opened, `updated_at` when the clock was last kept."""

    exam_id: str
    exam_hash: str
    candidate_id: str
    case_index: int
    case_id: str
    seed: int
    used_s: float
    started_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidate_id", check_trainee_id(self.candidate_id))
        if isinstance(self.case_index, bool) or not isinstance(self.case_index, int) or self.case_index < 0:
            raise ValueError(f"case_index must be a whole number from 0, got {self.case_index!r}")
        used_s = float(self.used_s)
        if not used_s >= 0.0:  # also refuses NaN
            raise ValueError(f"used_s must be 0 or more seconds, got {self.used_s!r}")
        object.__setattr__(self, "used_s", used_s)
        object.__setattr__(self, "started_at", aware_utc(self.started_at, "started_at"))
        object.__setattr__(self, "updated_at", aware_utc(self.updated_at, "updated_at"))


def resume_clocks(loaded, clocks: list[CaseClock], sittings: list, plan: dict) -> dict[int, CaseClock]:
    """The clocks of `loaded`'s cases that an interrupted sitting resumes: case index -> its clock.

    `clocks` are the candidate's kept clocks of this exam, `sittings` their finished sittings of it
    and `plan` the stored cases (resume_plan), which are not taken again and so keep no clock."""
    after = max((s.ended_at for s in sittings), default=None)
    current = exam_hash(loaded.exam)
    kept: dict[int, CaseClock] = {}
    for clock in clocks:
        index = clock.case_index
        if index in plan or index >= len(loaded.cases) or clock.exam_hash != current:
            continue
        if clock.case_id != loaded.cases[index].id or clock.seed != loaded.exam.cases[index].seed:
            continue
        if after is not None and clock.updated_at < after:
            continue
        kept[index] = clock
    return kept
