"""The attempt store's tables as SQLAlchemy 2 typed ORM classes (the Alembic revisions in
records/migrations create them; a change here needs a new revision there).

Times are kept as UTC ISO 8601 text with microseconds (`2026-12-02T09:00:00.000000+00:00`):
exact on SQLite and PostgreSQL alike, and they sort in time order. The result, the replay and
the rating are canonical JSON text, so what is read back is byte for byte what was signed.
`total` and `passed` repeat two fields of the result so lists need not parse it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, String, Text
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
