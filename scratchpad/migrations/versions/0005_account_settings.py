"""Accounts grow up: unique names, room for scrypt hashes, administrators,
disabled accounts, a creation time and a session version.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("username", existing_type=sa.String(length=128), nullable=False)
        batch_op.alter_column(
            "password_hash",
            existing_type=sa.String(length=128),
            type_=sa.String(length=256),
            nullable=False,
        )
        batch_op.add_column(
            sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("is_disabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("created", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_unique_constraint(batch_op.f("uq_users_username"), ["username"])


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_username"), type_="unique")
        batch_op.drop_column("session_version")
        batch_op.drop_column("created")
        batch_op.drop_column("is_disabled")
        batch_op.drop_column("is_admin")
        batch_op.alter_column(
            "password_hash",
            existing_type=sa.String(length=256),
            type_=sa.String(length=128),
            nullable=True,
        )
        batch_op.alter_column("username", existing_type=sa.String(length=128), nullable=True)
