"""The schema: users, their comments, and the board's version counter."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

MYSQL_TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
COMMENT_MAX_LENGTH = 4096
USERNAME_MAX_LENGTH = 128
# To the microsecond on every engine (MySQL's DATETIME alone keeps whole seconds).
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")


def utc_now():
    """The current UTC time, naive, as the columns store it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(USERNAME_MAX_LENGTH), unique=True)
    # Room for every hash format the site has used or reads.
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # A quoted '0' is false on every engine and reads back as it was written,
    # so `flask db migrate` sees no change where there is none.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default="0")
    is_disabled: Mapped[bool] = mapped_column(default=False, server_default="0")
    created: Mapped[datetime | None] = mapped_column(TIMESTAMP, default=utc_now)
    # Part of every session's user id: raising it ends the user's sessions.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self):
        return not self.is_disabled

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __repr__(self):
        return f"<User {self.username!r}>"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[str | None] = mapped_column(sa.String(COMMENT_MAX_LENGTH))
    posted: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    commenter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    commenter: Mapped[User | None] = relationship()

    def may_be_deleted_by(self, user):
        if not user.is_authenticated:
            return False
        return user.is_admin or (self.commenter_id is not None and self.commenter_id == user.id)

    def __repr__(self):
        return f"<Comment {self.id}>"


class BoardVersion(db.Model):
    """One row: a counter raised with every change to comments or users (see
    board/page_cache.py), so that each process can tell whether a page it
    rendered earlier is still current."""
    __tablename__ = "board_version"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
