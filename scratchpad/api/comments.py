"""The comments: listed page by page as the board shows them, one at a time,
posted (or as replies), and deleted, each by the board's own rules."""
from flask import abort, current_app, request, url_for
from flask_login import current_user

from ..accounts.registration import awaiting_verification
from ..board import comments
from ..board.comments import thread_replies, visible_comment_or_404
from ..board.paging import BoardPage, requested_page
from ..board.shown import Reader, ShownComment
from ..board.views import answerable_thread, comment_for_deletion
from ..moderation.holds import is_held_on_arrival
from . import bp
from .authentication import token_required
from .bodies import comment_id, comment_text, json_fields
from .limits import limited, limited_posting
from .representations import comment_data

MAX_PAGE_SIZE = 100
NEW_COMMENT_FIELDS = ("content", "reply_to")


def as_read(comment):
    """A mapped Comment as the caller sees it, as the board's pages give them."""
    return ShownComment.from_comment(comment, Reader.of(current_user))


def page_size():
    """The ``limit`` argument: top-level comments per page (each with all its
    replies), 1 to MAX_PAGE_SIZE; the board's page size when not given."""
    value = request.args.get("limit")
    if value is None:
        return current_app.config["COMMENTS_PER_PAGE"]
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_PAGE_SIZE):
        abort(400, description=f"'limit' must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    return int(value)


@bp.get("/comments")
@limited
@token_required
def list_comments():
    """Top-level comments newest first, each with its replies oldest first,
    as the board shows them to the caller; ``before``/``after`` seek."""
    before, after = requested_page()
    per_page = page_size()
    page = BoardPage.load(per_page, current_user, before=before, after=after)
    limit = request.args.get("limit")
    return {
        "comments": [comment_data(comment, page.replies[comment.id])
                     for comment in page.comments],
        "older": url_for(".list_comments", before=page.older_than, limit=limit)
        if page.older_than else None,
        "newer": url_for(".list_comments", after=page.newer_than, limit=limit)
        if page.newer_than else None,
    }


@bp.get("/comments/<int:comment_id>")
@limited
@token_required
def get_comment(comment_id):
    comment = visible_comment_or_404(comment_id)
    replies = (thread_replies([comment.id], current_user)[comment.id]
               if comment.parent_id is None else None)
    return comment_data(as_read(comment), replies and [as_read(reply) for reply in replies])


@bp.post("/comments")
@limited_posting
@token_required
def post_comment():
    """A new comment, or with ``reply_to`` a reply in that comment's thread."""
    fields = json_fields(NEW_COMMENT_FIELDS)
    text = comment_text(fields)
    reply_to = comment_id(fields, "reply_to")
    if awaiting_verification(current_user):
        abort(403, description="Confirm your email address first: the link is in the mail "
                               "the site sent you. Until then you cannot post.")
    root = answerable_thread(reply_to)[1] if reply_to is not None else None
    comment = comments.post(current_user, text, parent=root,
                            held=is_held_on_arrival(current_user))
    location = url_for(".get_comment", comment_id=comment.id)
    return comment_data(as_read(comment), replies=[]), 201, {"Location": location}


@bp.delete("/comments/<int:comment_id>")
@limited
@token_required
def delete_comment(comment_id):
    """As on the board: by its author or an administrator, with its replies."""
    comments.delete(comment_for_deletion(comment_id))
    return "", 204
