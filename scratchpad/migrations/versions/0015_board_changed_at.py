"""The board records when it last changed, for the feeds' Last-Modified.

Revision ID: 0015
Revises: 0014
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# To the microsecond on MySQL too, as the other times since 0009.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")


def upgrade():
    with op.batch_alter_table("board_version") as batch_op:
        batch_op.add_column(sa.Column("changed_at", TIMESTAMP, nullable=True))
    # Whatever changed before, nothing has changed since the upgrade.
    board_version = sa.table("board_version", sa.column("changed_at", TIMESTAMP))
    op.execute(board_version.update().values(
        changed_at=datetime.now(timezone.utc).replace(tzinfo=None)))


def downgrade():
    with op.batch_alter_table("board_version") as batch_op:
        batch_op.drop_column("changed_at")
