"""The attempt store: what is saved comes back whole and signed, nothing overwrites anything,
and every failure is a StoreError a person can act on. Runs against each database in
tests/records/conftest.py (SQLite and a throwaway PostgreSQL server)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from simulator.records.attempt import AttemptFilter, Rating
from simulator.records.signing import check, load_key
from simulator.records.store import StoreError, open_store
from tests.records.test_attempt import START, expert_attempt


def at(attempt, minutes: float, **changes):
    """The same attempt started `minutes` after START, with a fresh id, and `changes`."""
    import uuid

    started = START + timedelta(minutes=minutes)
    return replace(attempt, attempt_id=uuid.uuid4().hex, started_at=started, ended_at=started + timedelta(minutes=3),
                   **changes)


def edit_row(store, attempt_id: str, column: str, old: str, new: str) -> None:
    """Edit a stored attempt behind the program's back, as someone with access to the database could."""
    with store.engine.begin() as connection:
        changed = connection.execute(text(f"UPDATE attempts SET {column} = replace({column}, :old, :new) "
                                          "WHERE attempt_id = :id"), {"old": old, "new": new, "id": attempt_id})
        assert changed.rowcount == 1


@pytest.fixture(scope="module")
def expert():
    return expert_attempt()[0]


def test_a_saved_attempt_comes_back_whole_and_signed(store, key_file, expert):
    saved = store.save(expert)
    assert saved.signature and check(saved, load_key(key_file))
    assert store.get(expert.attempt_id) == saved
    assert store.get(expert.attempt_id).result == expert.result and store.get(expert.attempt_id).replay == expert.replay


def test_two_attempts_same_trainee_case_and_second_are_both_kept(store, expert):
    first, second = at(expert, 0), at(expert, 0)
    assert first.started_at == second.started_at and first.trainee_id == second.trainee_id
    store.save(first)
    store.save(second)
    kept = store.find(AttemptFilter(trainee_id=expert.trainee_id))
    assert {a.attempt_id for a in kept} == {first.attempt_id, second.attempt_id}


def test_an_id_already_stored_is_refused_and_the_first_kept(store, expert):
    first = store.save(at(expert, 0))
    with pytest.raises(StoreError, match=f"an attempt with id {first.attempt_id} is already stored"):
        store.save(replace(first, result={**first.result, "total": 5.0}))
    assert store.get(first.attempt_id).total == expert.total


def test_find_filters_and_lists_oldest_first(store, expert):
    late = store.save(at(expert, 30))
    early = store.save(at(expert, -30, trainee_id="dr-b"))
    exam = store.save(at(expert, 10, exam_id="final-2026", mode="exam"))
    assert [a.attempt_id for a in store.find(AttemptFilter())] == [early.attempt_id, exam.attempt_id, late.attempt_id]
    assert [a.attempt_id for a in store.find(AttemptFilter(trainee_id="dr-b"))] == [early.attempt_id]
    assert [a.attempt_id for a in store.find(AttemptFilter(exam_id="final-2026"))] == [exam.attempt_id]
    assert store.find(AttemptFilter(case_id="s2_nothing")) == []
    window = AttemptFilter(since=START, until=START + timedelta(minutes=30))
    assert [a.attempt_id for a in store.find(window)] == [exam.attempt_id]  # since inclusive, until exclusive


def test_a_rating_is_stored_and_signed_with_the_attempt(store, key_file, expert):
    saved = store.save(at(expert, 0))
    rating = Rating({"overall": 4, "flow": 5}, "clean single pass", "dr-exam", START + timedelta(hours=2))
    rated = store.attach_rating(saved.attempt_id, rating)
    assert rated.rating == rating and rated.signature != saved.signature and check(rated, load_key(key_file))
    assert store.get(saved.attempt_id) == rated


def test_an_edited_attempt_cannot_be_rated_back_into_a_valid_signature(store, expert):
    saved = store.save(at(expert, 0))
    edit_row(store, saved.attempt_id, "result_json", '"total":', '"total":1')  # someone edits the total
    with pytest.raises(StoreError, match="does not verify .edited result"):
        store.attach_rating(saved.attempt_id, Rating({"overall": 3}, "", "dr-exam", START))


def test_an_unknown_id_is_a_store_error(store):
    with pytest.raises(StoreError, match="no attempt with id 0123 in "):
        store.get("0123")


def test_a_store_reopened_finds_what_was_saved(database_url, key_file, expert):
    saved = open_store(database_url, key_file).save(at(expert, 0))
    again = open_store(database_url, key_file)
    assert again.get(saved.attempt_id) == saved
    again.close()


# ---------------------------------------------------------------- failures a station meets

def test_a_locked_sqlite_file_is_reported_as_busy_and_nothing_is_half_saved(tmp_path, key_file, expert):
    path = tmp_path / "attempts.db"
    store = open_store(f"sqlite:///{path}?timeout=0.2", key_file)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file
    with pytest.raises(StoreError, match="is busy .another program is writing to it.; try again in a moment"):
        store.save(expert)
    other.rollback()
    other.close()
    with pytest.raises(StoreError, match="no attempt with id"):
        store.get(expert.attempt_id)
    assert store.save(expert).attempt_id == expert.attempt_id  # the retry works


def test_a_full_disk_is_reported_and_the_attempt_can_be_saved_once_there_is_room(tmp_path, key_file, expert):
    from sqlalchemy import event

    path = tmp_path / "attempts.db"
    store = open_store(f"sqlite:///{path}", key_file)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    limit = event.listens_for(store.engine, "connect")(
        lambda dbapi, record: dbapi.execute(f"PRAGMA max_page_count = {pages}"))  # the disk is full at this size
    store.engine.dispose()
    with pytest.raises(StoreError, match=f"the disk holding the attempts database {path} is full"):
        store.save(expert)
    event.remove(store.engine, "connect", limit)
    store.engine.dispose()
    assert store.find(AttemptFilter()) == []  # nothing half written
    assert store.save(expert).attempt_id == expert.attempt_id


def test_an_unreachable_server_is_reported_without_its_password():
    with pytest.raises(StoreError) as info:
        open_store("postgresql://lab:secret@127.0.0.1:9/attempts")
    message = str(info.value)
    assert message.startswith("cannot reach the database server postgresql+psycopg://lab:***@127.0.0.1:9/attempts")
    assert "secret" not in message and "--db or TPI_SIM_DB" in message


@pytest.mark.parametrize("url, fragment", [("mysql://x/y", "unsupported database 'mysql'"),
                                           ("sqlite://", "must be a file"),
                                           ("not a url://x", "is not a database URL")])
def test_a_database_url_the_store_cannot_use_is_refused(url, fragment):
    with pytest.raises(StoreError, match=fragment):
        open_store(url)


def test_a_folder_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot create the folder for the attempts database"):
        open_store(f"sqlite:///{blocker}/sub/attempts.db")


def test_open_store_without_a_url_uses_tpi_sim_db(monkeypatch, tmp_path, key_file, expert):
    monkeypatch.setenv("TPI_SIM_DB", str(tmp_path / "lab.db"))
    open_store(None, key_file).save(expert)
    assert (tmp_path / "lab.db").is_file()
    assert open_store(f"sqlite:///{tmp_path / 'lab.db'}", key_file).get(expert.attempt_id).trainee_id == "dr-a"


def test_the_times_come_back_in_utc(store, expert):
    local = datetime(2026, 12, 2, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    saved = store.save(replace(expert, started_at=local, ended_at=local + timedelta(minutes=1)))
    assert store.get(saved.attempt_id).started_at == datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
