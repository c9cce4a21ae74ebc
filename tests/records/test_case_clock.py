"""The clock of an exam case being taken, in the attempt store (SQLite and PostgreSQL): kept in
place per candidate, exam and case, dropped with the sitting, and counted on resume only for the
exam as it stands and after the candidate's last finished sitting."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from simulator.records.case_clock import CaseClock, resume_clocks
from simulator.records.sitting import exam_hash
from tests.records.sittings import EXAM_ID, START, case_attempts, sitting_of, three_case_exam


def clock_of(loaded, index: int, used_s: float, candidate: str = "cand-1", minutes: float = 1.0) -> CaseClock:
    return CaseClock(exam_id=EXAM_ID, exam_hash=exam_hash(loaded.exam), candidate_id=candidate, case_index=index,
                     case_id=loaded.cases[index].id, seed=loaded.exam.cases[index].seed, used_s=used_s,
                     started_at=START, updated_at=START + timedelta(minutes=minutes))


def test_a_kept_clock_replaces_the_one_before_and_the_sitting_drops_them(store, tmp_path):
    loaded = three_case_exam(tmp_path)
    store.keep_clock(clock_of(loaded, 2, 4.0))
    store.keep_clock(clock_of(loaded, 2, 36.5, minutes=2))
    store.keep_clock(clock_of(loaded, 2, 9.0, candidate="cand-2"))
    (kept,) = store.find_clocks("cand-1", EXAM_ID)
    assert kept.used_s == 36.5 and kept.updated_at == START + timedelta(minutes=2) and kept.case_index == 2
    attempts = case_attempts("cand-1")
    for done in attempts[:2]:
        store.save(done)
    store.save_sitting(sitting_of(loaded, "cand-1", attempts), last_attempt=attempts[2])
    assert store.find_clocks("cand-1", EXAM_ID) == []
    assert [c.used_s for c in store.find_clocks("cand-2", EXAM_ID)] == [9.0]  # another candidate's is kept


@pytest.mark.parametrize("used_s", [-1.0, float("nan")])
def test_a_clock_needs_a_used_time_of_zero_or_more(tmp_path, used_s):
    with pytest.raises(ValueError, match="used_s must be 0 or more seconds"):
        clock_of(three_case_exam(tmp_path), 0, used_s)


def test_on_resume_only_clocks_of_the_exam_as_it_stands_and_after_the_last_sitting_count(tmp_path):
    loaded = three_case_exam(tmp_path)
    open_case = clock_of(loaded, 1, 40.0, minutes=30)
    assert resume_clocks(loaded, [open_case], [], {}) == {1: open_case}
    assert resume_clocks(loaded, [open_case], [], {1: object()}) == {}  # its attempt is stored
    assert resume_clocks(loaded, [replace(open_case, exam_hash="0" * 64)], [], {}) == {}  # the exam changed
    assert resume_clocks(loaded, [replace(open_case, seed=99)], [], {}) == {}
    finished = sitting_of(loaded, "cand-1", case_attempts("cand-1"))  # ended 20 minutes after START
    assert resume_clocks(loaded, [open_case], [finished], {}) == {1: open_case}
    assert resume_clocks(loaded, [clock_of(loaded, 1, 40.0, minutes=10)], [finished], {}) == {}  # from before it
