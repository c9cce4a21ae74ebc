"""Exam sittings in the store: the sitting and its last attempt are kept together or not at all,
a sitting never names an attempt that is not there, its signature names an edited verdict, and
`resume_plan` finds the cases an interrupted sitting already holds. Runs against SQLite and
PostgreSQL (tests/records/conftest.py)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import text

from simulator.records.signing import load_key, sitting_problem
from simulator.records.sitting import SittingFilter, resume_plan, sitting_from_dict, sitting_to_dict
from simulator.records.store import NotStored, StoreError
from tests.records.sittings import EXAM_ID, START, case_attempts, sitting_of, three_case_exam


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return three_case_exam(tmp_path_factory.mktemp("exam"))


@pytest.fixture(scope="module")
def passing():
    return case_attempts("cand-1")


def test_a_sitting_and_its_last_attempt_are_kept_together_and_signed(store, key_file, loaded, passing):
    for done in passing[:2]:
        store.save(done)
    sitting = sitting_of(loaded, "cand-1", passing)
    saved = store.save_sitting(sitting, last_attempt=passing[2])
    assert saved.passed and saved.verdict == {"passed": True, "mean_total": 100.0, "reasons": []}
    assert sitting_problem(saved, load_key(key_file)) is None
    assert store.get_sitting(sitting.sitting_id) == saved
    assert store.get(passing[2].attempt_id).signature  # the last attempt was stored, signed, with it
    assert saved.attempt_ids == tuple(a.attempt_id for a in passing)
    assert sitting_from_dict(sitting_to_dict(saved)) == saved


def test_a_sitting_naming_an_attempt_that_is_not_stored_is_refused_and_nothing_is_kept(store, loaded, passing):
    store.save(passing[0])  # case 2's attempt was never stored
    sitting = sitting_of(loaded, "cand-1", passing)
    with pytest.raises(StoreError, match=f"names attempt {passing[1].attempt_id}, which is not stored"):
        store.save_sitting(sitting, last_attempt=passing[2])
    with pytest.raises(NotStored):
        store.get(passing[2].attempt_id)  # the last attempt went with the refused transaction
    with pytest.raises(NotStored, match=f"no exam sitting with id {sitting.sitting_id}"):
        store.get_sitting(sitting.sitting_id)


def test_find_sittings_filters_by_candidate_exam_and_dates(store, loaded):
    kept = []
    for n, candidate in enumerate(("cand-1", "cand-2", "cand-1")):
        attempts = case_attempts(candidate, start=START + timedelta(days=n))
        for done in attempts[:2]:
            store.save(done)
        kept.append(store.save_sitting(sitting_of(loaded, candidate, attempts), last_attempt=attempts[2]))
    assert store.find_sittings(SittingFilter()) == kept
    assert store.find_sittings(SittingFilter(candidate_id="cand-1")) == [kept[0], kept[2]]
    assert store.find_sittings(SittingFilter(exam_id="other")) == []
    assert store.find_sittings(SittingFilter(since=START + timedelta(days=1), until=START + timedelta(days=2))) == \
        [kept[1]]


def test_an_edited_verdict_is_named_by_the_signature(store, key_file, loaded):
    failing = case_attempts("cand-1", kinds=("expert", "novice-no-consent", "expert"))
    for done in failing[:2]:
        store.save(done)
    saved = store.save_sitting(sitting_of(loaded, "cand-1", failing), last_attempt=failing[2])
    assert not saved.passed and saved.verdict["reasons"][0].startswith("case 2 (")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE exam_sittings SET verdict_json = replace(verdict_json, :old, :new)"),
                           {"old": '"passed":false', "new": '"passed":true'})
    edited = store.get_sitting(saved.sitting_id)
    assert edited.passed
    assert sitting_problem(edited, load_key(key_file)) == "edited verdict: the verdict is not the one that was signed"
    moved = dataclasses.replace(saved, candidate_id="cand-9")
    assert sitting_problem(moved, load_key(key_file)).startswith("edited fields: the candidate")


def test_resume_plan_keeps_the_stored_cases_of_an_interrupted_sitting_only(loaded):
    earlier = case_attempts("cand-1")
    finished = sitting_of(loaded, "cand-1", earlier)
    later = case_attempts("cand-1", start=START + timedelta(days=1))
    assert resume_plan(loaded, earlier, [finished]) == {}  # a finished sitting is not resumed
    assert resume_plan(loaded, earlier + later[:1], [finished]) == {0: later[0]}
    assert resume_plan(loaded, later[:2], []) == {0: later[0], 1: later[1]}
    other_seed = dataclasses.replace(later[1], seed=99)
    practice = dataclasses.replace(later[1], mode="assessment", exam_id=None)
    assert resume_plan(loaded, [later[0], other_seed, practice], []) == {0: later[0]}
    again = dataclasses.replace(later[0], attempt_id="f" * 32, started_at=later[0].started_at + timedelta(minutes=1))
    assert resume_plan(loaded, [again, later[0]], []) == {0: later[0]}  # the first attempt at a case counts
    assert EXAM_ID == loaded.exam.id
