"""One page of the board: top-level comments newest first, found by seeking on
the primary key so that its cost does not grow with the table or the page's
depth, each with its replies, all in one statement."""
import functools
from operator import attrgetter

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..models import Comment, User
from ..site.ids import MAX_ID
from .comments import reader_kind, visibility
from .page_cache import PAGE_ARGUMENTS
from .shown import Reader, ShownComment

# Seeking past the largest id any engine stores finds nothing; larger numbers
# are not pages at all.
CURSOR_MAX_DIGITS = 18

comments, users = Comment.__table__, User.__table__
PAGE_COLUMNS = (comments.c.id, comments.c.parent_id, comments.c.content,
                comments.c.rendered_html, comments.c.posted, comments.c.edited_at,
                comments.c.commenter_id, comments.c.is_hidden, comments.c.is_held,
                users.c.username)
WITH_AUTHORS = comments.outerjoin(users, users.c.id == comments.c.commenter_id)


def page_cursor(name):
    """A ``before``/``after`` query argument: a positive whole number, or None."""
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > CURSOR_MAX_DIGITS:
        abort(400, description=_("That page does not exist: the page link must end in a whole "
                                 "number."))
    if int(value) > MAX_ID:
        abort(400, description=_("That page does not exist: no comment has so large a number."))
    return int(value)


def redirect_to_the_pages_own_address():
    """A query string a kept page does not read as it reads it (``?utm_source=…``,
    ``?before=007``, an argument twice) is sent to the page's own address with
    a 301: each variant would otherwise be a page kept of its own, pushing the
    board's own pages out, here and in any cache in front."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in PAGE_ARGUMENTS:
        return None
    arguments = {name: page_cursor(name) for name in PAGE_ARGUMENTS[request.endpoint]
                 if name in request.args}
    own = url_for(request.endpoint, **request.view_args, **arguments)
    if own.partition("?")[2] == request.query_string.decode("latin-1"):
        return None
    return redirect(own, 301)


def requested_page():
    """The ``(before, after)`` cursors of the page asked for; at most one of them."""
    before, after = page_cursor("before"), page_cursor("after")
    if before is not None and after is not None:
        abort(400, description=_("That page does not exist: a page link has either "
                                 "'before' or 'after', not both."))
    return before, after


@functools.cache
def page_statement(kind, cursor, per_page):
    """The statement of a page for readers of this kind (comments.reader_kind),
    reached by no cursor, ``before`` or ``after`` (the ``cursor`` parameter):
    the page's top-level comments, ``per_page + 1`` of them, and the replies
    of all but the last, with their authors' names, in no particular order.
    One statement on every engine, made once per process.

    The page's ids are a CTE, since MySQL refuses LIMIT in an IN subquery.
    The comment past the page only tells whether there is a page beyond it,
    so its replies are not fetched. Each half of the UNION seeks on an index:
    the primary key for the top-level comments, (parent_id, id) for the
    replies."""
    def in_page_order(column):
        return column.asc() if cursor == "after" else column.desc()

    visible = visibility(kind)
    page = (sa.select(comments.c.id)
            .where(comments.c.parent_id.is_(None), visible, seek(cursor))
            .order_by(in_page_order(comments.c.id)).limit(per_page + 1).cte("page"))
    on_page = (sa.select(page.c.id).order_by(in_page_order(page.c.id)).limit(per_page)
               .cte("on_page"))
    tops = sa.select(*PAGE_COLUMNS).select_from(
        WITH_AUTHORS.join(page, comments.c.id == page.c.id))
    replies = sa.select(*PAGE_COLUMNS).select_from(
        WITH_AUTHORS.join(on_page, comments.c.parent_id == on_page.c.id)).where(visible)
    return sa.union_all(tops, replies)


def seek(cursor):
    if cursor is None:
        return sa.true()
    bound = sa.bindparam("cursor", type_=sa.Integer)
    return comments.c.id < bound if cursor == "before" else comments.c.id > bound


@functools.cache
def beyond_statement(kind, direction):
    """The nearest top-level comment a reader of this kind sees, older
    (``direction`` "before") or newer ("after") than the ``cursor`` parameter,
    if there is one: a seek on (parent_id, id) that stops at the first row,
    however deep the page (where EXISTS may lead MariaDB to scan the index
    from its start)."""
    nearest = comments.c.id.desc() if direction == "before" else comments.c.id.asc()
    return (sa.select(comments.c.id)
            .where(comments.c.parent_id.is_(None), visibility(kind), seek(direction))
            .order_by(nearest).limit(1))


class BoardPage:
    def __init__(self, comments, replies, older_than, newer_than):
        self.comments = comments  # ShownComment objects, newest first
        self.replies = replies  # thread id -> its replies, oldest first
        self.older_than = older_than
        self.newer_than = newer_than

    @classmethod
    def load(cls, per_page, viewer, before=None, after=None):
        """The page as ``viewer`` sees it (held comments are theirs alone):
        one statement, and one more for a page reached by a cursor, to ask
        whether there are comments on its other side."""
        kind = reader_kind(viewer)
        reader = Reader.of(viewer)
        cursor = "after" if after is not None else "before" if before is not None else None
        parameters = {"cursor": after if after is not None else before}
        if kind == "member":
            parameters["viewer_id"] = viewer.id
        # Without the ORM's work: the page only reads.
        connection = db.session.connection()
        rows = sorted(connection.execute(page_statement(kind, cursor, per_page), parameters),
                      key=attrgetter("id"))
        tops = [ShownComment.from_row(row, reader) for row in rows if row.parent_id is None]
        replies = {top.id: [] for top in tops}
        answerable = {top.id: top.is_answerable for top in tops}
        for row in rows:
            if row.parent_id is not None:
                replies[row.parent_id].append(
                    ShownComment.from_row(row, reader, answerable[row.parent_id]))

        def any_beyond(direction, comment):
            return connection.execute(beyond_statement(kind, direction),
                                      {**parameters, "cursor": comment.id}).first() is not None

        if after is not None:
            more_newer = len(tops) > per_page
            page = list(reversed(tops[:per_page]))
            more_older = bool(page) and any_beyond("before", page[-1])
        else:
            tops.reverse()
            more_older = len(tops) > per_page
            page = tops[:per_page]
            more_newer = before is not None and bool(page) and any_beyond("after", page[0])
        return cls(
            page,
            {top.id: replies[top.id] for top in page},
            older_than=page[-1].id if more_older else None,
            newer_than=page[0].id if more_newer else None,
        )
