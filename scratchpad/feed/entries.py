"""A comment as a feed entry: its page's address as its id and link, a title
of its first words, its author, its times and its HTML."""
from datetime import datetime

from flask_babel import gettext as _

from ..site.links import public_link
from ..site.templating import posted_by
from .atom import Entry

TITLE_LENGTH = 60
# Comments from before timestamps existed were posted at an unknown time, but
# Atom wants a time for each entry: the Unix epoch, which is older than any
# comment with a time (they are older still), never changes, and says plainly
# to a reader that it is not a real date. They have no <published>.
UNKNOWN_TIME = datetime(1970, 1, 1)


def title_of(comment):
    """``bob: The first words of the comment…``, white space folded."""
    words = " ".join((comment.content or "").split())
    if len(words) > TITLE_LENGTH:
        words = words[:TITLE_LENGTH - 1].rstrip() + "…"
    author = posted_by(comment)
    return f"{author}: {words}" if words else _("A comment by %(author)s", author=author)


def entry_of(comment):
    page = public_link("board.comment", comment_id=comment.id)
    formatted = comment.rendered_html is not None
    return Entry(
        id=page,
        title=title_of(comment),
        author=posted_by(comment),
        published=comment.posted,
        updated=comment.edited_at or comment.posted or UNKNOWN_TIME,
        # Comments from before formatting are the plain text they always were.
        content=comment.rendered_html if formatted else (comment.content or ""),
        content_type="html" if formatted else "text",
        link=page,
    )


def newest_update(entries):
    return max((entry.updated for entry in entries), default=UNKNOWN_TIME)
