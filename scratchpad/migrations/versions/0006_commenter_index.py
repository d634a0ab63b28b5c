"""Index comments by commenter, for deleting an account's comments' link.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# MySQL gives a foreign key an index of its own, named after the key, unless
# another index already serves it.
MYSQL_FOREIGN_KEY_INDEX = "fk_comments_commenter_id_users"


def upgrade():
    with op.batch_alter_table("comments") as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_commenter_id"), ["commenter_id"])
    if op.get_bind().dialect.name == "mysql":
        # MySQL drops the key's own index now that ours serves it, but only if
        # it made that index itself; one made by a downgrade would stay.
        for index in sa.inspect(op.get_bind()).get_indexes("comments"):
            if index["column_names"] == ["commenter_id"] and index["name"] != "ix_comments_commenter_id":
                op.drop_index(index["name"], table_name="comments")


def downgrade():
    if op.get_bind().dialect.name == "mysql":
        # The foreign key may not be left without an index.
        op.create_index(op.f(MYSQL_FOREIGN_KEY_INDEX), "comments", ["commenter_id"])
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_commenter_id"))
