"""The schema: users, their comments, the board's version counter, and what
letting people join needs: invitations, one-time account tokens and the
settings an administrator changes on the site."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

MYSQL_TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
COMMENT_MAX_LENGTH = 4096
USERNAME_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 254  # the longest address SMTP can carry
TOKEN_SELECTOR_LENGTH = 16
TOKEN_HASH_LENGTH = 64  # SHA-256, in hex


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
    created: Mapped[datetime | None] = mapped_column(default=utc_now)
    # Part of every session's user id: raising it ends the user's sessions.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Kept in lower case, so that one address belongs to one account.
    email: Mapped[str | None] = mapped_column(sa.String(EMAIL_MAX_LENGTH), unique=True)
    email_verified_at: Mapped[datetime | None]

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
    posted: Mapped[datetime | None]
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


class Invitation(db.Model):
    """A link an administrator hands out: its holder may create one account."""
    __tablename__ = "invitations"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    # The link's token is stored only as these: see accounts/tokens.py.
    selector: Mapped[str] = mapped_column(sa.String(TOKEN_SELECTOR_LENGTH), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(TOKEN_HASH_LENGTH))
    note: Mapped[str | None] = mapped_column(sa.String(200))
    created: Mapped[datetime] = mapped_column(default=utc_now)
    expires: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])


class AccountToken(db.Model):
    """A one-time link mailed or handed to a user: to verify an email address
    (``verify-email``) or to choose a new password (``reset-password``)."""
    __tablename__ = "account_tokens"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    selector: Mapped[str] = mapped_column(sa.String(TOKEN_SELECTOR_LENGTH), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(TOKEN_HASH_LENGTH))
    # verify-email: the address being verified.
    email: Mapped[str | None] = mapped_column(sa.String(EMAIL_MAX_LENGTH))
    # reset-password: which password it may replace; any change makes it invalid.
    password_fingerprint: Mapped[str | None] = mapped_column(sa.String(TOKEN_HASH_LENGTH))
    created: Mapped[datetime] = mapped_column(default=utc_now)
    expires: Mapped[datetime]

    user: Mapped[User] = relationship()


class SiteSetting(db.Model):
    """A setting an administrator changed on the site; it overrides the
    configured default of the same name."""
    __tablename__ = "site_settings"
    __table_args__ = MYSQL_TABLE_OPTIONS

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(255))
