"""The schema: users and their comments."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db

MYSQL_TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}


def utc_now():
    """The current UTC time, naive, as the columns store it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(128), nullable=False, unique=True)
    # werkzeug's scrypt hashes are 162 characters; leave room for longer ones.
    password_hash = sa.Column(sa.String(256), nullable=False)
    # A quoted '0' is false on every engine and reads back as it was written,
    # so `flask db migrate` sees no change where there is none.
    is_admin = sa.Column(sa.Boolean, nullable=False, default=False, server_default="0")
    is_disabled = sa.Column(sa.Boolean, nullable=False, default=False, server_default="0")
    created = sa.Column(sa.DateTime, nullable=True, default=utc_now)
    # Changes with the password, so that sessions made before the change end.
    session_version = sa.Column(sa.Integer, nullable=False, default=0, server_default="0")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self):
        """Log the user out everywhere, remember-me cookies included: the id
        their sessions carry no longer matches."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password):
        try:
            return check_password_hash(self.password_hash, password)
        except ValueError:  # a hash in a format werkzeug no longer knows
            return False

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

    id = sa.Column(sa.Integer, primary_key=True)
    content = sa.Column(sa.String(4096))
    posted = sa.Column(sa.DateTime, nullable=True)
    commenter_id = sa.Column(
        sa.Integer, sa.ForeignKey("users.id"), nullable=True, index=True
    )

    commenter = db.relationship("User")

    def may_be_deleted_by(self, user):
        if not user.is_authenticated:
            return False
        return user.is_admin or (self.commenter_id is not None and self.commenter_id == user.id)

    def __repr__(self):
        return f"<Comment {self.id}>"


def delete_user(user):
    """Delete an account; its comments stay, shown as posted by Anonymous Coward."""
    db.session.execute(
        sa.update(Comment).where(Comment.commenter_id == user.id).values(commenter_id=None)
    )
    db.session.delete(user)


class BoardPage:
    """One page of the board, newest first, found by seeking on the primary
    key so that its cost does not grow with the table or the page's depth."""

    def __init__(self, comments, older_than, newer_than):
        self.comments = comments
        self.older_than = older_than
        self.newer_than = newer_than

    @classmethod
    def load(cls, per_page, before=None, after=None):
        query = sa.select(Comment).options(sa.orm.joinedload(Comment.commenter)).limit(per_page + 1)
        if after is not None:
            rows = db.session.scalars(
                query.where(Comment.id > after).order_by(Comment.id.asc())
            ).all()
            more_newer = len(rows) > per_page
            comments = list(reversed(rows[:per_page]))
            more_older = bool(comments) and cls._exists(Comment.id < comments[-1].id)
        else:
            if before is not None:
                query = query.where(Comment.id < before)
            rows = db.session.scalars(query.order_by(Comment.id.desc())).all()
            more_older = len(rows) > per_page
            comments = rows[:per_page]
            more_newer = before is not None and bool(comments) and cls._exists(
                Comment.id > comments[0].id
            )
        return cls(
            comments,
            older_than=comments[-1].id if more_older else None,
            newer_than=comments[0].id if more_newer else None,
        )

    @staticmethod
    def _exists(condition):
        return db.session.scalar(sa.select(sa.exists().where(condition)))


class BoardVersion(db.Model):
    """One row: a counter raised with every change to comments or users (see
    cache.py), so that each process can tell whether a page it rendered
    earlier is still current."""
    __tablename__ = "board_version"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id = sa.Column(sa.Integer, primary_key=True)
    version = sa.Column(sa.BigInteger, nullable=False, server_default="0")
