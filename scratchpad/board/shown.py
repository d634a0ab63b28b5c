"""A comment as one reader sees it in a thread: what it says, and what the
reader may do with it, worked out in Python once per comment.

The HTML of a comment's own part (its heading, state, text, times, author and
action links: the ``comment_part`` macro of board/_comment.html) is a function
of these fields and the page's language alone, so each process keeps the most
recent ones, keyed by them: every reader who sees a comment the same way
shares one rendering, and a comment edited, hidden, approved or past its edit
window is a new key. Only the reply box, which carries this visitor's CSRF
token, is rendered for every page, with texts translated once per page."""
import functools
from dataclasses import InitVar, dataclass, field
from datetime import datetime
from typing import NamedTuple

from flask import current_app, get_template_attribute, request

from ..models import CommentRules
from ..site.languages import page_language
from ..site.templating import ANONYMOUS_AUTHOR
from .comments import edit_window, may_edit
from .personal_pages import page_changes_at

# A page of 50 threads of 10 replies each is 550 comments; room for that
# twice over, at a few kilobytes a comment.
PARTS_KEPT = 1200


class Reader(NamedTuple):
    """What the comment rules ask of a user, read once per page rather than
    of the user object fifty times over."""
    id: int | None
    is_authenticated: bool
    is_admin: bool

    @classmethod
    def of(cls, user):
        if not user.is_authenticated:
            return cls(None, False, False)
        return cls(user.id, True, user.is_admin)


@dataclass(frozen=True, slots=True)
class ShownComment(CommentRules):
    id: int
    parent_id: int | None
    content: str | None
    # Rendered and cleaned against an allow-list when it was saved
    # (board/formatting.py); None for comments from before formatting.
    rendered_html: str | None
    posted: datetime | None
    edited_at: datetime | None
    commenter_id: int | None
    is_hidden: bool
    is_held: bool
    author: str
    reader: InitVar[Reader]
    thread_is_answerable: InitVar[bool] = True
    # What the reader sees and may do, worked out from the above.
    shown_in_full: bool = field(init=False)
    is_by_reader: bool = field(init=False)
    may_edit: bool = field(init=False)
    may_report: bool = field(init=False)
    may_delete: bool = field(init=False)
    may_reply: bool = field(init=False)

    def __post_init__(self, reader, thread_is_answerable):
        logged_in = reader.is_authenticated  # visitors may do nothing more: skip asking
        facts = {
            "shown_in_full": self.is_shown_in_full_to(reader),
            "is_by_reader": logged_in and self.is_by(reader),
            "may_edit": logged_in and may_edit(self, reader),
            "may_report": logged_in and self.may_be_reported_by(reader),
            "may_delete": logged_in and self.may_be_deleted_by(reader),
            "may_reply": (logged_in and thread_is_answerable
                          and not (self.is_hidden or self.is_held)),
        }
        for name, value in facts.items():
            object.__setattr__(self, name, value)
        if facts["may_edit"] and not reader.is_admin:
            page_changes_at(self.posted + edit_window())

    @classmethod
    def from_row(cls, row, reader, thread_is_answerable=True):
        """From a row of board/paging.py's page statement."""
        return cls(row.id, row.parent_id, row.content, row.rendered_html, row.posted,
                   row.edited_at, row.commenter_id, bool(row.is_hidden), bool(row.is_held),
                   row.username or str(ANONYMOUS_AUTHOR), reader, thread_is_answerable)

    @classmethod
    def from_comment(cls, comment, reader, thread_is_answerable=True):
        """From a mapped Comment, its author loaded or loadable."""
        return cls(comment.id, comment.parent_id, comment.content, comment.rendered_html,
                   comment.posted, comment.edited_at, comment.commenter_id, comment.is_hidden,
                   comment.is_held,
                   comment.commenter.username if comment.commenter else str(ANONYMOUS_AUTHOR),
                   reader, thread_is_answerable)

    @property
    def is_answerable(self):
        return not (self.is_hidden or self.is_held)


def render_part(comment, script_root, language):
    """The comment's own part, as HTML. ``script_root``, where the site is
    mounted, and the page's language are part of the key: its links start
    with the one, its words and dates are in the other."""
    return get_template_attribute("board/_comment.html", "comment_part")(comment)


def rendered_comment_part(comment):
    """The comment's own part, rendered once for every reader who sees it so."""
    return current_app.extensions["scratchpad_comment_parts"](
        comment, request.script_root, page_language())


def init_app(app):
    app.extensions["scratchpad_comment_parts"] = functools.lru_cache(maxsize=PARTS_KEPT)(
        render_part)
    app.add_template_global(rendered_comment_part)
