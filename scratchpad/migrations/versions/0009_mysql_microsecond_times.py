"""MySQL keeps times to the microsecond, as SQLite and PostgreSQL do, so a
board moved between engines keeps every time exactly.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TIME_COLUMNS = (("users", "created"), ("comments", "posted"))


def upgrade():
    if op.get_bind().dialect.name != "mysql":
        return
    for table, column in TIME_COLUMNS:
        op.alter_column(table, column, existing_type=mysql.DATETIME(),
                        type_=mysql.DATETIME(fsp=6), existing_nullable=True)


def downgrade():
    if op.get_bind().dialect.name != "mysql":
        return
    for table, column in TIME_COLUMNS:
        op.alter_column(table, column, existing_type=mysql.DATETIME(fsp=6),
                        type_=mysql.DATETIME(), existing_nullable=True)
