"""mock exams: sittings and their answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_sittings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("right", sa.Integer(), nullable=True),
        sa.Column("answered", sa.Integer(), nullable=True),
        sa.Column("scaled", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_exam_sittings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_sittings")),
    )
    op.create_index(
        "ix_exam_sittings_user_id_finished_at", "exam_sittings", ["user_id", "finished_at"], unique=False
    )
    op.create_table(
        "exam_answers",
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("choices", sa.String(length=32), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["exam_sittings.id"],
            name=op.f("fk_exam_answers_sitting_id_exam_sittings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sitting_id", "position", name=op.f("pk_exam_answers")),
    )


def downgrade() -> None:
    op.drop_table("exam_answers")
    op.drop_index("ix_exam_sittings_user_id_finished_at", table_name="exam_sittings")
    op.drop_table("exam_sittings")
