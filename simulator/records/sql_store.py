"""The attempt store in SQL: SQLite by default, PostgreSQL for a skills lab's shared server.

Each attempt is one row holding its result, its replay and its signature, inserted in one
transaction: after a kill -9, a full disk or a lost connection the row is there whole or
not at all. Rows are keyed by a random attempt id, so two attempts in the same second by the
same trainee on the same case are two rows. The schema is created and upgraded by the Alembic
revisions shipped in records/migrations, run when the store opens.

Every database failure becomes a `StoreError` whose message names the database (never its
password) and what to do: busy (locked), disk full, cannot open the file, server unreachable.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from simulator.records.attempt import (Attempt, AttemptFilter, Rating, attempt_from_dict, attempt_to_dict,
                                       utc_text)
from simulator.records.signing import SigningKeyError, canonical, load_key, problem, signed
from simulator.records.sql_schema import AttemptRow
from simulator.records.errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 5.0  # wait this long for another station's write before saying the file is busy
CONNECT_TIMEOUT_S = 10  # a PostgreSQL server that does not answer within this is reported unreachable


def _text(data) -> str:
    return canonical(data).decode("utf-8")


def _row(attempt: Attempt) -> AttemptRow:
    data = attempt_to_dict(attempt)
    return AttemptRow(
        attempt_id=attempt.attempt_id, trainee_id=attempt.trainee_id, case_id=attempt.case_id,
        case_hash=attempt.case_hash, exam_id=attempt.exam_id, mode=attempt.mode, seed=attempt.seed,
        station=attempt.station, software_version=attempt.software_version, started_at=data["started_at"],
        ended_at=data["ended_at"], total=attempt.total, passed=attempt.passed, result_json=_text(attempt.result),
        replay_json=_text(attempt.replay), rating_json=None if attempt.rating is None else _text(data["rating"]),
        signature=attempt.signature,
    )


def _attempt(row: AttemptRow) -> Attempt:
    return attempt_from_dict({
        "attempt_id": row.attempt_id, "trainee_id": row.trainee_id, "case_id": row.case_id,
        "case_hash": row.case_hash, "exam_id": row.exam_id, "mode": row.mode, "seed": row.seed,
        "station": row.station, "software_version": row.software_version, "started_at": row.started_at,
        "ended_at": row.ended_at, "result": json.loads(row.result_json), "replay": json.loads(row.replay_json),
        "rating": None if row.rating_json is None else json.loads(row.rating_json), "signature": row.signature,
    })


def _why(exc: BaseException, where: str) -> str:
    """A message for a database failure that a trainee or examiner can act on."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = detail.lower()
    if "locked" in low or "busy" in low:
        return f"the attempts database {where} is busy (another program is writing to it); try again in a moment"
    if "full" in low or "no space" in low:
        return f"the disk holding the attempts database {where} is full; free some space and try again"
    if "unable to open" in low or "readonly" in low or "read-only" in low:
        return f"cannot write the attempts database {where}: check that its folder exists and this user may write there"
    if "connection" in low or "could not connect" in low or "timeout" in low or "server" in low:
        return (f"cannot reach the database server {where} ({detail}); check that it is running and that "
                f"--db or TPI_SIM_DB gives its address")
    return f"the attempts database {where} failed: {detail}"


class SqlAttemptStore:
    """AttemptStore over SQLAlchemy: `SqlAttemptStore(url, key_file)`; see records.store."""

    def __init__(self, url: str, key_file: Path | str | None = None):
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"{url!r} is not a database URL; use sqlite:///FILE or postgresql://USER@HOST/DB") from None
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:///FILE or postgresql://...")
        self.url = parsed
        self.where = parsed.database if parsed.get_backend_name() == "sqlite" else \
            parsed.render_as_string(hide_password=True)
        self.key_file = key_file
        self._key: bytes | None = None
        self.engine = self._open()

    # ------------------------------------------------------------ opening
    def _open(self) -> Engine:
        url = self.url
        if url.get_backend_name() == "sqlite":
            if url.database in (None, "", ":memory:"):
                raise StoreError("the attempts database must be a file (sqlite:///FILE), not kept in memory")
            try:
                Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o750)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for the attempts database {url.database}: "
                                 f"{exc.strerror or exc}") from None
            query = dict(url.query)
            query.setdefault("timeout", str(SQLITE_BUSY_TIMEOUT_S))
            url = url.set(query=query)
        else:
            query = dict(url.query)
            query.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
            url = url.set(query=query)
        engine = create_engine(url)
        try:
            with self._errors():
                self._migrate(engine)
        except StoreError:
            engine.dispose()
            raise
        return engine

    @staticmethod
    def _migrate(engine: Engine) -> None:
        """`alembic upgrade head` on this database, skipped when it is already there."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        head = ScriptDirectory.from_config(config).get_current_head()
        with engine.connect() as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def _errors(self):
        try:
            yield
        except IntegrityError as exc:
            raise StoreError(f"the attempts database {self.where} refused the attempt: "
                             f"{str(exc.orig).strip().splitlines()[0]}") from None
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(_why(exc, self.where)) from None

    def _signing_key(self) -> bytes:
        if self._key is None:
            try:
                self._key = load_key(self.key_file, create=True)
            except SigningKeyError as exc:
                raise StoreError(str(exc)) from None
        return self._key

    # ------------------------------------------------------------ the AttemptStore interface
    def save(self, attempt: Attempt) -> Attempt:
        done = signed(attempt, self._signing_key())
        with self._errors(), Session(self.engine) as session, session.begin():
            if session.get(AttemptRow, done.attempt_id) is not None:
                raise StoreError(f"an attempt with id {done.attempt_id} is already stored; nothing was overwritten")
            session.add(_row(done))
        return done

    def get(self, attempt_id: str) -> Attempt:
        with self._errors(), Session(self.engine) as session:
            row = session.get(AttemptRow, attempt_id)
            if row is None:
                raise StoreError(f"no attempt with id {attempt_id} in {self.where}")
            return _attempt(row)

    def find(self, filter: AttemptFilter) -> list[Attempt]:  # noqa: A002 - the agreed API name
        query = select(AttemptRow)
        for column, value in ((AttemptRow.trainee_id, filter.trainee_id), (AttemptRow.case_id, filter.case_id),
                              (AttemptRow.exam_id, filter.exam_id)):
            if value is not None:
                query = query.where(column == value)
        if filter.since is not None:
            query = query.where(AttemptRow.started_at >= utc_text(filter.since))
        if filter.until is not None:
            query = query.where(AttemptRow.started_at < utc_text(filter.until))
        query = query.order_by(AttemptRow.started_at, AttemptRow.ended_at, AttemptRow.attempt_id)
        with self._errors(), Session(self.engine) as session:
            return [_attempt(row) for row in session.scalars(query)]

    def attach_rating(self, attempt_id: str, rating: Rating) -> Attempt:
        """Rate and re-sign, after checking the stored attempt still holds its signature (a
        rating must never launder an edit)."""
        key = self._signing_key()
        with self._errors(), Session(self.engine) as session, session.begin():
            row = session.get(AttemptRow, attempt_id, with_for_update=True)
            if row is None:
                raise StoreError(f"no attempt with id {attempt_id} in {self.where}")
            attempt = _attempt(row)
            wrong = problem(attempt, key)
            if wrong:
                raise StoreError(f"attempt {attempt_id} does not verify ({wrong}); it cannot be rated")
            done = signed(replace(attempt, rating=rating), key)
            new = _row(done)
            row.rating_json, row.signature = new.rating_json, new.signature
        return done

    def close(self) -> None:
        self.engine.dispose()
