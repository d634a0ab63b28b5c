"""Index comments by commenter, for deleting an account's comments' link.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments") as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_commenter_id"), ["commenter_id"])


def downgrade():
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_commenter_id"))
