"""an answer may pick several choices (multiple-response questions)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 12:00:00

Rows from before stay valid as they are: a NULL `choices` means the one choice in `choice`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("answers", "review_logs"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("choices", sa.String(length=32), nullable=True))


def downgrade() -> None:
    for table in ("answers", "review_logs"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("choices")
