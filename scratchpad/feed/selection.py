"""Which comments the feeds carry: those everybody sees on the board, newest
first. A hidden comment, or one waiting for approval, is never in a feed."""
import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased, joinedload

from ..board.comments import thread_root
from ..extensions import db
from ..models import Comment

FEED_SIZE = 50

ON_SHOW = sa.and_(sa.not_(Comment.is_hidden), sa.not_(Comment.is_held))
thread_start = aliased(Comment)


def newest_comments(limit=FEED_SIZE):
    """The newest comments and replies on show; a reply only while its thread
    is on the board (a thread waiting for approval is not)."""
    query = (sa.select(Comment).options(joinedload(Comment.commenter))
             .outerjoin(thread_start, Comment.parent_id == thread_start.id)
             .where(ON_SHOW, sa.or_(Comment.parent_id.is_(None), sa.not_(thread_start.is_held)))
             .order_by(Comment.id.desc()).limit(limit))
    return db.session.scalars(query).all()


def public_thread_or_404(comment_id):
    """The comment and the first comment of its thread, if everybody may see
    the thread. A hidden comment's thread is still on the board (with a
    notice in its place), so its feed exists, without it."""
    comment = db.session.get(Comment, comment_id)
    root = thread_root(comment) if comment is not None else None
    if root is None or comment.is_held or root.is_held:
        abort(404, description="There is no such thread.")
    return comment, root


def thread_comments(root, limit=FEED_SIZE):
    """The thread's first comment and its replies on show, newest first."""
    query = (sa.select(Comment).options(joinedload(Comment.commenter))
             .where(sa.or_(Comment.id == root.id, Comment.parent_id == root.id), ON_SHOW)
             .order_by(Comment.id.desc()).limit(limit))
    return db.session.scalars(query).all()
