"""An existing user's database, made by revision 0001 (attempts only), upgrades to the exam
sittings and the exam case clocks on open and keeps its attempts whole and verifying; on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.orm import Session

from simulator.records.signing import check, load_key, signed
from simulator.records.sql_store import MIGRATIONS_DIR, _row
from simulator.records.store import open_store
from tests.records.sittings import case_attempts, sitting_of, three_case_exam


def database_at_0001(url: str, attempts, key: bytes) -> None:
    """A database as revision 0001 made it, holding `attempts` signed with `key`."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with Session(engine) as session, session.begin():
        session.add_all(_row(signed(a, key)) for a in attempts)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0001"
        assert "exam_sittings" not in inspect(connection).get_table_names()
    engine.dispose()


def test_a_database_made_by_revision_0001_upgrades_and_keeps_its_attempts(database_url, key_file, tmp_path):
    key = load_key(key_file)
    attempts = case_attempts("cand-1")
    database_at_0001(database_url, attempts[:2], key)
    with open_store(database_url, key_file) as store:
        with store.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == "0003"
            assert {"exam_sittings", "exam_case_clocks"} <= set(inspect(connection).get_table_names())
        kept = [store.get(a.attempt_id) for a in attempts[:2]]
        assert [a.result for a in kept] == [a.result for a in attempts[:2]] and all(check(a, key) for a in kept)
        # the upgraded database takes the sitting of an exam begun before the update
        sitting = store.save_sitting(sitting_of(three_case_exam(tmp_path), "cand-1", attempts), attempts[2])
        assert store.get_sitting(sitting.sitting_id).passed
