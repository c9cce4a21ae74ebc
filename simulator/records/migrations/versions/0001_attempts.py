"""The attempts table: one row per attempt, result and replay together, signed.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("attempt_id", sa.String(32), primary_key=True),
        sa.Column("trainee_id", sa.String(64), nullable=False, index=True),
        sa.Column("case_id", sa.String(128), nullable=False, index=True),
        sa.Column("case_hash", sa.String(64), nullable=False),
        sa.Column("exam_id", sa.String(128), nullable=True, index=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("station", sa.String(255), nullable=False),
        sa.Column("software_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False, index=True),
        sa.Column("ended_at", sa.String(32), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("replay_json", sa.Text(), nullable=False),
        sa.Column("rating_json", sa.Text(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attempts")
