"""The attempt store's tables (attempts, exam sittings, the clocks of exam cases being taken) as SQLAlchemy 2 typed ORM classes (the
Alembic revisions in records/migrations create them; a change here needs a new revision there).

Times are kept as UTC ISO 8601 text with microseconds (`2026-12-02T09:00:00.000000+00:00`):
exact on SQLite and PostgreSQL alike, and they sort in time order. The result, the replay and
the rating are canonical JSON text, so what is read back is byte for byte what was signed.
`total` and `passed` repeat two fields of the result so lists need not parse it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class AttemptRow(Base):
    __tablename__ = "attempts"

    attempt_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    trainee_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(String(128), index=True)
    case_hash: Mapped[str] = mapped_column(String(64))
    exam_id: Mapped[str | None] = mapped_column(String(128), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int] = mapped_column(BigInteger)
    station: Mapped[str] = mapped_column(String(255))
    software_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[str] = mapped_column(String(32), index=True)
    ended_at: Mapped[str] = mapped_column(String(32))
    total: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result_json: Mapped[str] = mapped_column(Text)
    replay_json: Mapped[str] = mapped_column(Text)
    rating_json: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text)


class ExamSittingRow(Base):
    """One exam sitting (records.sitting), added by revision 0002. `attempt_ids_json`, `pass_rule_json`
    and `verdict_json` are canonical JSON; `passed` and `mean_total` repeat the verdict for lists."""

    __tablename__ = "exam_sittings"

    sitting_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    exam_id: Mapped[str] = mapped_column(String(128), index=True)
    exam_hash: Mapped[str] = mapped_column(String(64))
    candidate_id: Mapped[str] = mapped_column(String(64), index=True)
    station: Mapped[str] = mapped_column(String(255))
    software_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[str] = mapped_column(String(32), index=True)
    ended_at: Mapped[str] = mapped_column(String(32))
    passed: Mapped[bool] = mapped_column(Boolean)
    mean_total: Mapped[float | None] = mapped_column(Float)
    cases_resumed: Mapped[int] = mapped_column(Integer)
    attempt_ids_json: Mapped[str] = mapped_column(Text)
    pass_rule_json: Mapped[str] = mapped_column(Text)
    verdict_json: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text)


class CaseClockRow(Base):
    """The clock of an exam case being taken (records.case_clock), added by revision 0003: one row
    per candidate, exam and case, replaced as the case runs."""

    __tablename__ = "exam_case_clocks"

    candidate_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    exam_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    case_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    exam_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str] = mapped_column(String(128))
    seed: Mapped[int] = mapped_column(BigInteger)
    used_s: Mapped[float] = mapped_column(Float)
    started_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
