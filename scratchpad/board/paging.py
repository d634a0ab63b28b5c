"""One page of the board: top-level comments newest first, found by seeking on
the primary key so that its cost does not grow with the table or the page's
depth, each with its replies, which all come in one more statement."""
import sqlalchemy as sa
from flask import abort, request

from ..extensions import db
from ..models import Comment
from .comments import thread_replies, visible_to

# Seeking past the largest id any engine stores finds nothing; larger numbers
# are not pages at all.
CURSOR_MAX_DIGITS = 18


def page_cursor(name):
    """A ``before``/``after`` query argument: a positive whole number, or None."""
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > CURSOR_MAX_DIGITS:
        abort(400, description="That page does not exist: the page link must end in a whole number.")
    return int(value)


def requested_page():
    """The ``(before, after)`` cursors of the page asked for; at most one of them."""
    before, after = page_cursor("before"), page_cursor("after")
    if before is not None and after is not None:
        abort(400, description="That page does not exist: a page link has either "
                               "'before' or 'after', not both.")
    return before, after


class BoardPage:
    def __init__(self, comments, replies, older_than, newer_than):
        self.comments = comments
        self.replies = replies  # thread id -> its replies, oldest first
        self.older_than = older_than
        self.newer_than = newer_than

    @classmethod
    def load(cls, per_page, viewer, before=None, after=None):
        """The page as ``viewer`` sees it (held comments are theirs alone)."""
        shown = sa.and_(Comment.parent_id.is_(None), visible_to(viewer))
        query = (sa.select(Comment).options(sa.orm.joinedload(Comment.commenter))
                 .where(shown).limit(per_page + 1))
        if after is not None:
            rows = db.session.scalars(
                query.where(Comment.id > after).order_by(Comment.id.asc())
            ).all()
            more_newer = len(rows) > per_page
            comments = list(reversed(rows[:per_page]))
            more_older = bool(comments) and cls._exists(shown, Comment.id < comments[-1].id)
        else:
            if before is not None:
                query = query.where(Comment.id < before)
            rows = db.session.scalars(query.order_by(Comment.id.desc())).all()
            more_older = len(rows) > per_page
            comments = rows[:per_page]
            more_newer = before is not None and bool(comments) and cls._exists(
                shown, Comment.id > comments[0].id
            )
        return cls(
            comments,
            thread_replies([comment.id for comment in comments], viewer),
            older_than=comments[-1].id if more_older else None,
            newer_than=comments[0].id if more_newer else None,
        )

    @staticmethod
    def _exists(*conditions):
        return db.session.scalar(sa.select(sa.exists().where(*conditions)))
