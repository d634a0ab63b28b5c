"""Ids are never reused on SQLite either: without AUTOINCREMENT it hands the
highest id, once deleted, to the next row. MySQL, MariaDB and PostgreSQL
never reuse an id already.

Revision ID: 0013
Revises: 0012
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("users", "comments")


def recreate(autoincrement):
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade():
    recreate(True)


def downgrade():
    recreate(False)
