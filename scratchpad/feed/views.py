"""The feeds: ``/feed.atom``, the newest comments on the board, and
``/comments/<id>/feed.atom``, a thread's first comment and its replies."""
from flask import redirect, url_for
from flask_babel import gettext as _

from ..site.links import public_link
from ..site.templating import posted_by
from . import atom, bp, selection
from .entries import entry_of, newest_update
from .freshness import conditional_feed


def feed_of(comments, **head):
    entries = [entry_of(comment) for comment in comments]
    return atom.document(atom.Feed(updated=newest_update(entries), entries=entries, **head))


@bp.get("/feed.atom")
def board():
    return conditional_feed(lambda: feed_of(
        selection.newest_comments(),
        id=public_link("feed.board"),
        title=_("My scratchpad: the newest comments"),
        self_link=public_link("feed.board"),
        page_link=public_link("board.index"),
    ))


@bp.get("/comments/<int:comment_id>/feed.atom")
def thread(comment_id):
    comment, root = selection.public_thread_or_404(comment_id)
    if comment is not root:
        # One address for each thread's feed.
        return redirect(url_for("feed.thread", comment_id=root.id), 301)
    return conditional_feed(lambda: feed_of(
        selection.thread_comments(root),
        id=public_link("feed.thread", comment_id=root.id),
        title=_("My scratchpad: a thread started by %(name)s", name=posted_by(root)),
        self_link=public_link("feed.thread", comment_id=root.id),
        page_link=public_link("board.comment", comment_id=root.id),
    ))
