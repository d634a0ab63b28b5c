"""Letting people join: users' email addresses, invitations, one-time account
tokens (email verification, password reset) and the settings administrators
change on the site.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
# To the microsecond on MySQL too, as the other times since 0009.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
# SQLite rebuilds the table for the constraint: it keeps AUTOINCREMENT (0013).
USERS_TABLE = {"sqlite_autoincrement": True}


def upgrade():
    with op.batch_alter_table("users", table_kwargs=USERS_TABLE) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("email_verified_at", TIMESTAMP, nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_email"), ["email"])

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("selector", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_invitations_created_by_id_users")),
        sa.ForeignKeyConstraint(["used_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_invitations_used_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("selector", name=op.f("uq_invitations_selector")),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "account_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("selector", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_account_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("selector", name=op.f("uq_account_tokens_selector")),
        **TABLE_OPTIONS,
    )
    with op.batch_alter_table("account_tokens") as batch_op:
        batch_op.create_index(batch_op.f("ix_account_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "site_settings",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_site_settings")),
        **TABLE_OPTIONS,
    )


def downgrade():
    op.drop_table("site_settings")
    op.drop_table("account_tokens")  # and its index, which MySQL's foreign key needs till then
    op.drop_table("invitations")
    with op.batch_alter_table("users", table_kwargs=USERS_TABLE) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_email"), type_="unique")
        batch_op.drop_column("email_verified_at")
        batch_op.drop_column("email")
