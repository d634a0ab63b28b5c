"""Conversations: replies, edits with their earlier versions, formatted text,
hidden and held comments, and reports.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
RENDERED_HTML_TYPE = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")
# To the microsecond on MySQL too, as the other times since 0009.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")


def upgrade():
    with op.batch_alter_table("comments") as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("edited_at", TIMESTAMP, nullable=True))
        batch_op.add_column(sa.Column("rendered_html", RENDERED_HTML_TYPE, nullable=True))
        batch_op.add_column(
            sa.Column("is_hidden", sa.Boolean(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("is_held", sa.Boolean(), nullable=False, server_default="0"))
        # Made before the foreign key, so that MySQL uses it rather than making its own.
        batch_op.create_index("ix_comments_parent_id", ["parent_id", "id"])
        batch_op.create_foreign_key(batch_op.f("fk_comments_parent_id_comments"), "comments",
                                    ["parent_id"], ["id"], ondelete="CASCADE")

    op.create_table(
        "comment_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.String(length=4096), nullable=True),
        sa.Column("edited_at", TIMESTAMP, nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE",
                                name=op.f("fk_comment_revisions_comment_id_comments")),
        sa.ForeignKeyConstraint(["editor_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_comment_revisions_editor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_revisions")),
        **TABLE_OPTIONS,
    )
    op.create_index(op.f("ix_comment_revisions_comment_id"), "comment_revisions", ["comment_id"])
    op.create_index(op.f("ix_comment_revisions_editor_id"), "comment_revisions", ["editor_id"])

    op.create_table(
        "comment_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE",
                                name=op.f("fk_comment_reports_comment_id_comments")),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_comment_reports_reporter_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_reports")),
        sa.UniqueConstraint("comment_id", "reporter_id",
                            name=op.f("uq_comment_reports_comment_id")),
        **TABLE_OPTIONS,
    )
    op.create_index(op.f("ix_comment_reports_reporter_id"), "comment_reports", ["reporter_id"])


def downgrade():
    op.drop_table("comment_reports")
    op.drop_table("comment_revisions")
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_comments_parent_id_comments"), type_="foreignkey")
        batch_op.drop_index("ix_comments_parent_id")
        batch_op.drop_column("is_held")
        batch_op.drop_column("is_hidden")
        batch_op.drop_column("rendered_html")
        batch_op.drop_column("edited_at")
        batch_op.drop_column("parent_id")
