"""The exam_sittings table: one row per finished exam sitting, its verdict, signed.

An existing database (made by revision 0001) keeps its attempts as they are; this revision
only adds the table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_sittings",
        sa.Column("sitting_id", sa.String(32), primary_key=True),
        sa.Column("exam_id", sa.String(128), nullable=False, index=True),
        sa.Column("exam_hash", sa.String(64), nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False, index=True),
        sa.Column("station", sa.String(255), nullable=False),
        sa.Column("software_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False, index=True),
        sa.Column("ended_at", sa.String(32), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("mean_total", sa.Float(), nullable=True),
        sa.Column("cases_resumed", sa.Integer(), nullable=False),
        sa.Column("attempt_ids_json", sa.Text(), nullable=False),
        sa.Column("pass_rule_json", sa.Text(), nullable=False),
        sa.Column("verdict_json", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("exam_sittings")
