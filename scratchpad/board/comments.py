"""Writing comments: posting, replying, editing (each rendered once as it is
saved) and deleting them, and which comments a reader may see, answer and
change."""
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Comment, CommentRevision, utc_now
from .formatting import render


def reader_kind(user):
    """Which of the ways of seeing the board ``user`` has."""
    if not user.is_authenticated:
        return "visitor"
    return "administrator" if user.is_admin else "member"


def visibility(kind, viewer_id=None):
    """Which comments a reader of this kind sees at all: held comments only
    their authors (a member's id is the ``viewer_id`` parameter) and the
    administrators. (Hidden comments are seen, as a notice.)"""
    if kind == "administrator":
        return sa.true()
    if kind == "member":
        return sa.or_(sa.not_(Comment.is_held), Comment.commenter_id == sa.bindparam(
            "viewer_id", viewer_id, type_=sa.Integer))
    return sa.not_(Comment.is_held)


def visible_to(user):
    """Which comments ``user`` sees at all (see visibility)."""
    return visibility(reader_kind(user), user.id if user.is_authenticated else None)


def visible_comment_or_404(comment_id):
    """The comment, if it exists and the reader may see it: a held comment
    is its author's and the administrators' alone."""
    comment = db.session.scalar(
        sa.select(Comment).where(Comment.id == comment_id, visible_to(current_user)))
    if comment is None:
        abort(404, description=_("There is no such comment."))
    return comment


def thread_root(comment):
    """Replies are one level deep: an answer to a reply joins its thread."""
    return comment.parent if comment.parent_id is not None else comment


def post(author, text, parent=None, held=False):
    comment = Comment(content=text, rendered_html=render(text), posted=utc_now(),
                      commenter_id=author.id, parent=parent, is_held=held)
    db.session.add(comment)
    db.session.commit()
    return comment


def delete(comment):
    """Delete a comment with its replies, earlier versions and reports."""
    db.session.delete(comment)
    db.session.commit()


def edit_window():
    return timedelta(minutes=current_app.config["EDIT_WINDOW"])


def may_edit(comment, user):
    """Authors within the edit window after posting; administrators any time."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return (comment.is_by(user) and comment.posted is not None
            and utc_now() - comment.posted <= edit_window())


def edit(comment, editor, text):
    """Replace the text, keeping the one before as a revision."""
    if text == comment.content:
        return
    edited_at = utc_now()
    comment.revisions.append(CommentRevision(content=comment.content, edited_at=edited_at,
                                             editor_id=editor.id))
    comment.content = text
    comment.rendered_html = render(text)
    comment.edited_at = edited_at
    db.session.commit()


def thread_replies(thread_ids, viewer):
    """The replies of the given threads that ``viewer`` sees, oldest first,
    by thread id: one statement however many there are."""
    replies = {thread_id: [] for thread_id in thread_ids}
    if not thread_ids:
        return replies
    query = (sa.select(Comment).options(sa.orm.joinedload(Comment.commenter))
             .where(Comment.parent_id.in_(thread_ids), visible_to(viewer))
             .order_by(Comment.id))
    for reply in db.session.scalars(query):
        replies[reply.parent_id].append(reply)
    return replies
