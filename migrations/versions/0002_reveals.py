"""remember when a post's reveal was sent

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_column("revealed_at")
