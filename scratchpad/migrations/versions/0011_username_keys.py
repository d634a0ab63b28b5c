"""Usernames unique ignoring case on every engine: a username_key column
(NFKC and case folding) carries the unique constraint, compared byte for byte.

Where existing names would collide ("Bob" and "bob"), the upgrade stops
before changing anything and lists them; rename one with
``flask users rename OLD NEW`` and upgrade again.

Revision ID: 0011
Revises: 0010
"""
import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError
from sqlalchemy.dialects import mysql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KEY_LENGTH = 512
KEY_TYPE = sa.String(KEY_LENGTH).with_variant(
    mysql.VARCHAR(KEY_LENGTH, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")

users = sa.table("users", sa.column("id", sa.Integer), sa.column("username", sa.String),
                 sa.column("username_key", sa.String))


def username_key(username):
    """As scratchpad/accounts/usernames.py computes it when this revision was written."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username or "").casefold())


def colliding_names(rows):
    names_by_key = defaultdict(list)
    for _, username in rows:
        names_by_key[username_key(username)].append(username)
    return [sorted(names) for names in names_by_key.values() if len(names) > 1]


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.username).order_by(users.c.id)).all()
    # Checked before any change: MySQL commits each schema change at once.
    collisions = colliding_names(rows)
    if collisions:
        listed = "; ".join(", ".join(repr(name) for name in names) for names in collisions)
        raise CommandError(
            "Usernames must now differ by more than case, width or accents written another "
            f"way, and these would be one name: {listed}. Nothing was changed. Rename all but "
            "one of each with `flask users rename OLD NEW`, then run `flask db upgrade` again.")

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("username_key", KEY_TYPE, nullable=True))
    if rows:
        connection.execute(
            users.update().where(users.c.id == sa.bindparam("user_id"))
            .values(username_key=sa.bindparam("key")),
            [{"user_id": user_id, "key": username_key(username)} for user_id, username in rows])
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("username_key", existing_type=KEY_TYPE, nullable=False)
        # The key is the unique one; MySQL's collation would call more names equal.
        batch_op.drop_constraint(batch_op.f("uq_users_username"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_users_username_key"), ["username_key"])


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_username_key"), type_="unique")
        batch_op.drop_column("username_key")
        batch_op.create_unique_constraint(batch_op.f("uq_users_username"), ["username"])
