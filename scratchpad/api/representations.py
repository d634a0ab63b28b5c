"""What the API answers with: comments and users as JSON objects, shown as
the board shows them to the caller, and kept by no cache."""
from flask import url_for

from . import bp


def timestamp(moment):
    """A stored (naive UTC) time in RFC 3339, or None for an unknown time."""
    return moment.isoformat() + "Z" if moment is not None else None


def comment_data(comment, replies=None):
    """A comment as its reader sees it (a ShownComment, board/shown.py): the
    text of a hidden comment only for its author and the administrators (held
    comments reach nobody else at all: board/comments.py). ``replies``, for a
    top-level comment, are its replies the reader sees, oldest first."""
    shown = comment.shown_in_full
    data = {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": comment.author if comment.commenter_id is not None else None,
        "posted": timestamp(comment.posted),
        "edited": timestamp(comment.edited_at),
        "hidden": comment.is_hidden,
        "held": comment.is_held,
        "content": comment.content if shown else None,
        "html": comment.rendered_html if shown else None,
        "url": url_for("board.comment", comment_id=comment.id),
    }
    if comment.parent_id is None and replies is not None:
        data["replies"] = [comment_data(reply) for reply in replies]
    return data


def user_data(user):
    """What anyone may know about an account: its name and when it was made."""
    return {"username": user.username, "joined": timestamp(user.created)}


@bp.after_request
def not_stored(response):
    """Answers are the caller's own: no browser or proxy may keep them."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response
