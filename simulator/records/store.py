"""The attempt store: one interface for wherever a programme keeps its attempts.

Callers (the trainer's save, the exam runner, `tpi-sim attempt`, the report) depend only on
`AttemptStore` and `StoreError`; `open_store(url)` picks the implementation, the SQL store
(records.sql_store) for a database URL. A failed save, a locked or full database or an
unreachable server raise `StoreError` whose message a trainee or examiner can act on; a save
either keeps the whole signed attempt or nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from simulator.records.attempt import Attempt, AttemptFilter, Rating
from simulator.records.case_clock import CaseClock
from simulator.records.errors import NotStored, StoreError
from simulator.records.sitting import ExamSitting, SittingFilter

__all__ = ["AttemptStore", "NotStored", "StoreError", "database_url", "default_database_url", "open_store"]


class AttemptStore(Protocol):
    where: str  # where the attempts are kept (a file, or a server URL without its password), for messages

    def save(self, attempt: Attempt) -> Attempt:
        """Sign and keep `attempt` in one transaction; returns the signed attempt."""

    def get(self, attempt_id: str) -> Attempt:
        """The attempt with this id; NotStored (a StoreError) when there is none."""

    def find(self, filter: AttemptFilter) -> list[Attempt]:  # noqa: A002 - the agreed API name
        """The attempts matching `filter`, oldest first."""

    def attach_rating(self, attempt_id: str, rating: Rating) -> Attempt:
        """Store an examiner's rating with the attempt and sign it again; returns the re-signed attempt."""

    def save_sitting(self, sitting: ExamSitting, last_attempt: Attempt | None = None) -> ExamSitting:
        """Sign and keep an exam sitting, and `last_attempt` (its last case) in the same transaction;
        StoreError when it names an attempt that is not stored. Returns the signed sitting."""

    def get_sitting(self, sitting_id: str) -> ExamSitting:
        """The exam sitting with this id; NotStored (a StoreError) when there is none."""

    def find_sittings(self, filter: SittingFilter) -> list[ExamSitting]:  # noqa: A002 - as find
        """The exam sittings matching `filter`, oldest first."""

    def keep_clock(self, clock: CaseClock) -> None:
        """Keep the clock of an exam case being taken, replacing the one kept before for the same
        candidate, exam and case, in one transaction (records.case_clock). Saving a sitting drops
        its candidate's clocks of that exam."""

    def find_clocks(self, candidate_id: str, exam_id: str) -> list[CaseClock]:
        """The kept clocks of this candidate's cases in this exam, in exam order."""

    def close(self) -> None:
        """Release the connection (the store cannot be used afterwards)."""

    def __enter__(self) -> AttemptStore:
        """`with open_store(url) as store:` closes it at the end of the block."""

    def __exit__(self, *exc_info) -> None: ...


DB_ENV = "TPI_SIM_DB"


def default_database_url() -> str:
    """SQLite in the user data folder (platformdirs), e.g. ~/.local/share/tpi-sim/attempts.db."""
    import platformdirs

    return f"sqlite:///{Path(platformdirs.user_data_dir('tpi-sim', appauthor=False)) / 'attempts.db'}"


def database_url(url: str | None = None) -> str:
    """`url` (--db), else TPI_SIM_DB, else the default SQLite file; a plain path means a SQLite file."""
    chosen = url or os.environ.get(DB_ENV) or default_database_url()
    return chosen if "://" in chosen else f"sqlite:///{Path(chosen).expanduser().resolve()}"


def open_store(url: str | None = None, key_file: Path | str | None = None) -> AttemptStore:
    """The attempt store at `url` (see database_url), its schema brought up to date; StoreError
    when it cannot be opened. `key_file` is the signing key (default: records.signing.key_path)."""
    from simulator.records.sql_store import SqlAttemptStore

    return SqlAttemptStore(database_url(url), key_file)
