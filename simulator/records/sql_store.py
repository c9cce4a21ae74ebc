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

from sqlalchemy import create_engine, delete, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from simulator.records.attempt import (Attempt, AttemptFilter, Rating, attempt_from_dict, attempt_to_dict,
                                       parse_time, utc_text)
from simulator.records.case_clock import CaseClock
from simulator.records.errors import NotStored, StoreError
from simulator.records.signing import SigningKeyError, canonical, load_key, problem, signed, signed_sitting
from simulator.records.sitting import ExamSitting, SittingFilter, sitting_from_dict, sitting_to_dict
from simulator.records.sql_schema import AttemptRow, CaseClockRow, ExamSittingRow

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


def _sitting_row(sitting: ExamSitting) -> ExamSittingRow:
    data = sitting_to_dict(sitting)
    return ExamSittingRow(
        sitting_id=sitting.sitting_id, exam_id=sitting.exam_id, exam_hash=sitting.exam_hash,
        candidate_id=sitting.candidate_id, station=sitting.station, software_version=sitting.software_version,
        started_at=data["started_at"], ended_at=data["ended_at"], passed=sitting.passed, mean_total=sitting.mean_total,
        cases_resumed=sitting.cases_resumed, attempt_ids_json=_text(data["attempt_ids"]),
        pass_rule_json=_text(sitting.pass_rule), verdict_json=_text(sitting.verdict), signature=sitting.signature,
    )


def _sitting(row: ExamSittingRow) -> ExamSitting:
    return sitting_from_dict({
        "sitting_id": row.sitting_id, "exam_id": row.exam_id, "exam_hash": row.exam_hash,
        "candidate_id": row.candidate_id, "station": row.station, "software_version": row.software_version,
        "started_at": row.started_at, "ended_at": row.ended_at, "attempt_ids": json.loads(row.attempt_ids_json),
        "pass_rule": json.loads(row.pass_rule_json), "verdict": json.loads(row.verdict_json),
        "cases_resumed": row.cases_resumed, "signature": row.signature,
    })


def _clock(row: CaseClockRow) -> CaseClock:
    return CaseClock(exam_id=row.exam_id, exam_hash=row.exam_hash, candidate_id=row.candidate_id,
                     case_index=row.case_index, case_id=row.case_id, seed=row.seed, used_s=row.used_s,
                     started_at=parse_time(row.started_at, "started_at"),
                     updated_at=parse_time(row.updated_at, "updated_at"))


def _where(query, equal: tuple, column, since, until):
    """`query` narrowed to rows whose (column, value) pairs in `equal` match (None: any) and whose
    `column` time lies in [since, until)."""
    for matched, value in equal:
        if value is not None:
            query = query.where(matched == value)
    if since is not None:
        query = query.where(column >= utc_text(since))
    if until is not None:
        query = query.where(column < utc_text(until))
    return query


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
            self._insert(session, done)
        return done

    @staticmethod
    def _insert(session, attempt: Attempt) -> None:
        if session.get(AttemptRow, attempt.attempt_id) is not None:
            raise StoreError(f"an attempt with id {attempt.attempt_id} is already stored; nothing was overwritten")
        session.add(_row(attempt))

    def _get(self, row_class, record_id: str, what: str, convert):
        with self._errors(), Session(self.engine) as session:
            row = session.get(row_class, record_id)
            if row is None:
                raise NotStored(f"no {what} with id {record_id} in {self.where}")
            return convert(row)

    def get(self, attempt_id: str) -> Attempt:
        return self._get(AttemptRow, attempt_id, "attempt", _attempt)

    def find(self, filter: AttemptFilter) -> list[Attempt]:  # noqa: A002 - the agreed API name
        equal = ((AttemptRow.trainee_id, filter.trainee_id), (AttemptRow.case_id, filter.case_id),
                 (AttemptRow.exam_id, filter.exam_id), (AttemptRow.mode, filter.mode))
        query = _where(select(AttemptRow), equal, AttemptRow.started_at, filter.since, filter.until)
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
                raise NotStored(f"no attempt with id {attempt_id} in {self.where}")
            attempt = _attempt(row)
            wrong = problem(attempt, key)
            if wrong:
                raise StoreError(f"attempt {attempt_id} does not verify ({wrong}); it cannot be rated")
            done = signed(replace(attempt, rating=rating), key)
            new = _row(done)
            row.rating_json, row.signature = new.rating_json, new.signature
        return done

    # ------------------------------------------------------------ exam sittings
    def save_sitting(self, sitting: ExamSitting, last_attempt: Attempt | None = None) -> ExamSitting:
        """Sign and keep the sitting, with its last case's attempt in the same transaction when given
        (both are kept or neither). Every other attempt it names must be stored already."""
        key = self._signing_key()
        done = signed_sitting(sitting, key)
        with self._errors(), Session(self.engine) as session, session.begin():
            if session.get(ExamSittingRow, done.sitting_id) is not None:
                raise StoreError(f"an exam sitting with id {done.sitting_id} is already stored; nothing was overwritten")
            if last_attempt is not None:
                self._insert(session, signed(last_attempt, key))
                session.flush()
            stored = set(session.scalars(select(AttemptRow.attempt_id)
                                         .where(AttemptRow.attempt_id.in_(done.attempt_ids))))
            missing = [a for a in done.attempt_ids if a not in stored]
            if missing:
                raise StoreError(f"the exam sitting names attempt {missing[0]}, which is not stored in {self.where}; "
                                 "nothing was saved")
            session.add(_sitting_row(done))
            session.execute(delete(CaseClockRow).where(CaseClockRow.candidate_id == done.candidate_id,
                                                       CaseClockRow.exam_id == done.exam_id))
        return done

    def get_sitting(self, sitting_id: str) -> ExamSitting:
        return self._get(ExamSittingRow, sitting_id, "exam sitting", _sitting)

    def find_sittings(self, filter: SittingFilter) -> list[ExamSitting]:  # noqa: A002 - as find
        equal = ((ExamSittingRow.candidate_id, filter.candidate_id), (ExamSittingRow.exam_id, filter.exam_id))
        query = _where(select(ExamSittingRow), equal, ExamSittingRow.started_at, filter.since, filter.until)
        query = query.order_by(ExamSittingRow.started_at, ExamSittingRow.ended_at, ExamSittingRow.sitting_id)
        with self._errors(), Session(self.engine) as session:
            return [_sitting(row) for row in session.scalars(query)]

    # ------------------------------------------------------------ the clock of the exam case being taken
    def keep_clock(self, clock: CaseClock) -> None:
        """Keep `clock` in place of the one kept before for its candidate, exam and case (one transaction)."""
        fields = {"exam_hash": clock.exam_hash, "case_id": clock.case_id, "seed": clock.seed,
                  "used_s": clock.used_s, "started_at": utc_text(clock.started_at),
                  "updated_at": utc_text(clock.updated_at)}
        with self._errors(), Session(self.engine) as session, session.begin():
            row = session.get(CaseClockRow, (clock.candidate_id, clock.exam_id, clock.case_index), with_for_update=True)
            if row is None:
                session.add(CaseClockRow(candidate_id=clock.candidate_id, exam_id=clock.exam_id,
                                         case_index=clock.case_index, **fields))
            else:
                for name, value in fields.items():
                    setattr(row, name, value)

    def find_clocks(self, candidate_id: str, exam_id: str) -> list[CaseClock]:
        query = (select(CaseClockRow).where(CaseClockRow.candidate_id == candidate_id, CaseClockRow.exam_id == exam_id)
                 .order_by(CaseClockRow.case_index))
        with self._errors(), Session(self.engine) as session:
            return [_clock(row) for row in session.scalars(query)]

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> SqlAttemptStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
