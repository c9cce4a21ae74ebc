"""The exam_case_clocks table: the time a candidate has used on the exam case being taken.

Kept while a case runs, so an interrupted sitting resumes that case with only the time left
(records.case_clock). An existing database keeps its attempts and sittings as they are; this
revision only adds the table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_case_clocks",
        sa.Column("candidate_id", sa.String(64), primary_key=True),
        sa.Column("exam_id", sa.String(128), primary_key=True),
        sa.Column("case_index", sa.Integer(), primary_key=True),
        sa.Column("exam_hash", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(128), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("used_s", sa.Float(), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("exam_case_clocks")
