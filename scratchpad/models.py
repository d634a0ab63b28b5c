"""The schema: users and their login sessions, their comments (with replies,
earlier versions and reports), the board's version counter, and what letting
people join needs: invitations, one-time account tokens and the settings an
administrator changes on the site."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

MYSQL_TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
# SQLite otherwise hands a deleted row's id, the highest, to the next row;
# the server engines never reuse one.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}
COMMENT_MAX_LENGTH = 4096
USERNAME_MAX_LENGTH = 128
# To the microsecond on every engine (MySQL's DATETIME alone keeps whole seconds).
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
# Case folding and NFKC can lengthen a name: "ß" folds to "ss", "ﬃ" to "ffi".
USERNAME_KEY_MAX_LENGTH = 4 * USERNAME_MAX_LENGTH
# Compared byte for byte on MySQL too, whose utf8mb4_unicode_ci would call
# "é" and "e" equal; the key is already case-folded.
USERNAME_KEY_TYPE = sa.String(USERNAME_KEY_MAX_LENGTH).with_variant(
    mysql.VARCHAR(USERNAME_KEY_MAX_LENGTH, charset="utf8mb4", collation="utf8mb4_bin"),
    "mysql", "mariadb")
USER_AGENT_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254  # the longest address SMTP can carry
TOKEN_SELECTOR_LENGTH = 16
TOKEN_HASH_LENGTH = 64  # SHA-256, in hex


def utc_now():
    """The current UTC time, naive, as the columns store it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = {**MYSQL_TABLE_OPTIONS, **NEVER_REUSED_IDS}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(USERNAME_MAX_LENGTH))
    # The name as compared (accounts/usernames.py: username_key): unique, so
    # that "Bob" and "bob" cannot both exist, with one answer on every engine.
    username_key: Mapped[str] = mapped_column(USERNAME_KEY_TYPE, unique=True)
    # Room for every hash format the site has used or reads.
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # A quoted '0' is false on every engine and reads back as it was written,
    # so `flask db migrate` sees no change where there is none.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default="0")
    is_disabled: Mapped[bool] = mapped_column(default=False, server_default="0")
    created: Mapped[datetime | None] = mapped_column(TIMESTAMP, default=utc_now)
    # Kept in lower case, so that one address belongs to one account.
    email: Mapped[str | None] = mapped_column(sa.String(EMAIL_MAX_LENGTH), unique=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    login_sessions: Mapped[list["LoginSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)

    # The token of the login session this user object was loaded for or is
    # being logged in with (accounts/sessions.py); never stored here.
    session_token = None

    @property
    def is_active(self):
        return not self.is_disabled

    def get_id(self):
        """What Flask-Login keeps in the session and remember-me cookies: the
        login session's token, never the user's id, so a cookie names one
        session the server can end and can never match another account."""
        return self.session_token

    def __repr__(self):
        return f"<User {self.username!r}>"


class LoginSession(db.Model):
    """One login: the session and remember-me cookies carry its token, the
    table only the token's SHA-256 hash. Deleting the row ends the login."""
    __tablename__ = "login_sessions"
    __table_args__ = {**MYSQL_TABLE_OPTIONS, **NEVER_REUSED_IDS}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen: Mapped[datetime] = mapped_column(default=utc_now)
    user_agent: Mapped[str] = mapped_column(sa.String(USER_AGENT_MAX_LENGTH), default="")
    remembered: Mapped[bool] = mapped_column(default=False, server_default="0")

    user: Mapped[User] = relationship(back_populates="login_sessions")

    def __repr__(self):
        return f"<LoginSession {self.id} of user {self.user_id}>"


# MySQL's TEXT holds 64 KB: a comment's HTML can be more than that.
RENDERED_HTML_TYPE = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")


class CommentRules:
    """Who wrote a comment and who may read, report and delete it, from its columns
    alone (id, parent_id, commenter_id, is_hidden, is_held): shared by the
    mapped Comment and the comments a board page reads without the ORM
    (board/shown.py)."""
    __slots__ = ()

    def is_by(self, user):
        return (user.is_authenticated and self.commenter_id is not None
                and self.commenter_id == user.id)

    def may_be_deleted_by(self, user):
        if not user.is_authenticated:
            return False
        return user.is_admin or self.is_by(user)

    def may_be_reported_by(self, user):
        """Logged-in users report other people's comments that are on show."""
        return (user.is_authenticated and not self.is_by(user)
                and not self.is_hidden and not self.is_held)

    def is_shown_in_full_to(self, user):
        """Whether ``user`` reads the text of a hidden or held comment: its
        author and the administrators do."""
        return not (self.is_hidden or self.is_held) or self.is_by(user) or (
            user.is_authenticated and user.is_admin)

    @property
    def thread_id(self):
        return self.parent_id or self.id


class Comment(CommentRules, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        # Finds a thread's replies, and seeks through the top-level comments.
        sa.Index("ix_comments_parent_id", "parent_id", "id"),
        {**MYSQL_TABLE_OPTIONS, **NEVER_REUSED_IDS},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[str | None] = mapped_column(sa.String(COMMENT_MAX_LENGTH))
    posted: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    commenter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # A reply names the top-level comment of its thread; replies are one level deep.
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"))
    edited_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    # The content as HTML (board/formatting.py); NULL for comments from before
    # formatting, which are shown as the plain text they always were.
    rendered_html: Mapped[str | None] = mapped_column(RENDERED_HTML_TYPE)
    is_hidden: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Waiting for an administrator's approval: shown only to its author and administrators.
    is_held: Mapped[bool] = mapped_column(default=False, server_default="0")

    commenter: Mapped[User | None] = relationship()
    parent: Mapped["Comment | None"] = relationship(back_populates="replies", remote_side=[id])
    # Deleting a comment deletes its replies, earlier versions and reports.
    replies: Mapped[list["Comment"]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", order_by="Comment.id")
    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan",
        order_by="CommentRevision.id.desc()")
    reports: Mapped[list["CommentReport"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", order_by="CommentReport.id")

    def __repr__(self):
        return f"<Comment {self.id}>"


class CommentRevision(db.Model):
    """A comment's text as it was before an edit, and who replaced it when."""
    __tablename__ = "comment_revisions"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    content: Mapped[str | None] = mapped_column(sa.String(COMMENT_MAX_LENGTH))
    edited_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utc_now)
    editor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    comment: Mapped[Comment] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()


REPORT_REASON_MAX_LENGTH = 500


class CommentReport(db.Model):
    """One user's report of a comment, waiting for an administrator until
    ``reviewed``. A user reports a comment at most once."""
    __tablename__ = "comment_reports"
    __table_args__ = (
        sa.UniqueConstraint("comment_id", "reporter_id"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(sa.String(REPORT_REASON_MAX_LENGTH))
    created: Mapped[datetime] = mapped_column(TIMESTAMP, default=utc_now)
    reviewed: Mapped[bool] = mapped_column(default=False, server_default="0")

    comment: Mapped[Comment] = relationship(back_populates="reports")
    reporter: Mapped[User] = relationship()


class BoardVersion(db.Model):
    """One row: a counter raised with every change to comments or users (see
    board/page_cache.py), so that each process can tell whether a page it
    rendered earlier is still current."""
    __tablename__ = "board_version"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    # When the counter was last raised (UTC): when anything on the board last
    # changed, hiding and deleting included (the feeds' Last-Modified).
    changed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)


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


API_TOKEN_NAME_MAX_LENGTH = 100


class ApiToken(db.Model):
    """A personal access token for the JSON API (api/tokens.py): its holder
    acts as the user. The table keeps only the token's SHA-256 hash."""
    __tablename__ = "api_tokens"
    __table_args__ = {**MYSQL_TABLE_OPTIONS, **NEVER_REUSED_IDS}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(sa.String(API_TOKEN_NAME_MAX_LENGTH))
    token_hash: Mapped[str] = mapped_column(sa.String(TOKEN_HASH_LENGTH), unique=True)
    created: Mapped[datetime] = mapped_column(TIMESTAMP, default=utc_now)
    expires: Mapped[datetime | None] = mapped_column(TIMESTAMP)  # None: never
    last_used: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    user: Mapped[User] = relationship()

    def has_expired(self):
        return self.expires is not None and self.expires <= utc_now()

    def __repr__(self):
        return f"<ApiToken {self.id} of user {self.user_id}>"


class SiteSetting(db.Model):
    """A setting an administrator changed on the site; it overrides the
    configured default of the same name."""
    __tablename__ = "site_settings"
    __table_args__ = MYSQL_TABLE_OPTIONS

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(255))
