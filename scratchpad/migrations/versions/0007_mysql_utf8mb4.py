"""MySQL tables made by the tutorial become utf8mb4, so they can hold emoji.

The tutorial's tables took the database's default character set, often
utf8mb3 or latin1; the ones this project makes are utf8mb4 already.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("users", "comments")
COLLATION = "utf8mb4_unicode_ci"


def collations(table):
    """The table's default collation and its text columns' collations."""
    return set(op.get_bind().scalars(sa.text(
        "SELECT TABLE_COLLATION FROM information_schema.TABLES"
        " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table"
        " UNION SELECT COLLATION_NAME FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND COLLATION_NAME IS NOT NULL"
    ), {"table": table}))


def upgrade():
    if op.get_bind().dialect.name != "mysql":
        return
    for table in TABLES:
        if collations(table) != {COLLATION}:
            op.execute(f"ALTER TABLE {table} CONVERT TO CHARACTER SET utf8mb4 COLLATE {COLLATION}")


def downgrade():
    # Which character set an adopted table had is not recorded, and utf8mb4
    # holds everything it could: the tables stay as they are.
    pass
