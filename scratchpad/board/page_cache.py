"""The board as anonymous readers see it, kept by each process and served
again while nothing it shows has changed.

Every statement the site's engine runs that writes comments or users (the
ORM's flushes and bulk statements, Core statements, the commands', an
import's, a restore's) raises the counter in ``board_version``, and records
when, in the same transaction. SQL run outside the site, in a database shell,
is not seen. On each
anonymous request a process reads that counter (with the newest account's
id, which also tells when the first account appears, however it was made):
one small statement. A page kept under the same reading is served as it is,
by the front door (front_door.py) before the site's request handling;
otherwise the page is rendered and kept, as it leaves the site, under the
reading taken before rendering, so a change committed meanwhile makes the
next request render again.

The same reading names the page for browsers and proxies: such pages carry a
weak ETag made of it, and ``Cache-Control: public, max-age=0, must-revalidate``
(with ``s-maxage=SHARED_CACHE_SECONDS``), so browsers ask again each time and a
reverse proxy or CDN may serve them for that long before it asks; a request
whose ``If-None-Match`` names the current ETag is answered ``304`` without
rendering anything.

A kept page is kept under its address, query string included; a query string
the page does not read as it reads it is answered with a redirect to the
page's own address (paging.py), so variants never make pages of their own.
"""
import hashlib
import os
import threading
from collections import OrderedDict
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, g, request, session

from ..extensions import db
from ..models import BoardVersion, Comment, User, utc_now
from ..site.languages import TRANSLATIONS_DIRECTORY, page_language
from ..site.security import carries_a_session
from .front_door import READING_TAKEN, FrontDoor, keep_answer, page_key
from .reading_connection import ReadingConnection

# The kept pages, and the query arguments each reads (paging.py).
PAGE_ARGUMENTS = {"board.index": ("before", "after"), "board.comment": ()}
CACHED_ENDPOINTS = frozenset(PAGE_ARGUMENTS)
PAGES_KEPT = 64
BOARD_TABLES = frozenset({Comment.__table__, User.__table__})

class BoardReading(NamedTuple):
    version: int
    newest_account_id: int | None


def newest_account_id_read():
    """What this request's reading found as the newest account's id, as
    ``(True, id)``, or ``(False, None)`` where no reading was taken."""
    reading = g.get("board_reading")
    return (True, reading.newest_account_id) if reading is not None else (False, None)


BOARD_VERSION = sa.select(BoardVersion.version).scalar_subquery()
NEWEST_ACCOUNT_ID = sa.select(sa.func.max(User.id)).scalar_subquery()
CURRENT_READING = sa.select(BOARD_VERSION, NEWEST_ACCOUNT_ID)
RAISE_VERSION = sa.update(BoardVersion.__table__).values(
    version=BoardVersion.version + 1,
    changed_at=sa.bindparam("changed_at", callable_=utc_now, type_=BoardVersion.changed_at.type))


class PageCache:
    """The most recently served pages of one process, each with the reading
    it was rendered under."""

    def __init__(self, size=PAGES_KEPT):
        self._size = size
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def kept(self, key):
        """``(reading, page)`` kept under ``key``, or None."""
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def get(self, key, reading):
        with self._lock:
            kept = self._pages.get(key)
            if kept is None or kept[0] != reading:
                return None
            self._pages.move_to_end(key)
            return kept[1]

    def put(self, key, reading, response):
        with self._lock:
            self._pages[key] = (reading, response)
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


def page_cache():
    return current_app.extensions["scratchpad_page_cache"]


def is_cacheable_request():
    """A GET of the board from a reader who carries no session and no
    remember-me cookie: someone not logged in, with no message waiting to be
    shown and no form of theirs on the page."""
    return (request.method == "GET" and request.endpoint in CACHED_ENDPOINTS
            and not carries_a_session())


def site_fingerprint(app):
    """What else a page depends on: the templates, static files and
    translations this process serves, and the page size. The same in every
    process of a site."""
    digest = hashlib.sha256(str(app.config["COMMENTS_PER_PAGE"]).encode())
    for folder in (os.path.join(app.root_path, app.template_folder), app.static_folder,
                   TRANSLATIONS_DIRECTORY):
        for directory, subdirectories, files in sorted(os.walk(folder)):
            subdirectories.sort()
            for name in sorted(files):
                path = os.path.join(directory, name)
                digest.update(os.path.relpath(path, folder).encode())
                with open(path, "rb") as served_file:
                    digest.update(served_file.read())
    return digest.hexdigest()[:12]


def page_etag(reading):
    fingerprint = current_app.extensions["scratchpad_site_fingerprint"]
    return f"{fingerprint}-{page_language()}-{reading.version}-{reading.newest_account_id or 0}"


def allow_shared_caching(response):
    """Browsers ask again each time; a proxy or CDN in front may serve the
    answer for SHARED_CACHE_SECONDS before it asks."""
    response.cache_control.public = True
    response.cache_control.max_age = 0
    response.cache_control.must_revalidate = True
    shared_seconds = current_app.config["SHARED_CACHE_SECONDS"]
    if shared_seconds:
        response.cache_control.s_maxage = shared_seconds
    return response


def mark_shareable(response, reading):
    """A page any reader without a session may get: its ETag, how long it may
    be kept, and that it varies by cookie (and, added to every page by
    languages.py, by language)."""
    response.set_etag(page_etag(reading), weak=True)
    allow_shared_caching(response)
    response.vary.add("Cookie")
    return response


def current_reading():
    """The board's reading for this request: taken by the front door, or else
    now, on the session's connection, in its transaction, but without the
    ORM's work."""
    reading = request.environ.get(READING_TAKEN)
    if reading is None:
        reading = BoardReading(*db.session.connection().execute(CURRENT_READING).one())
    return reading


def serve_kept_page():
    if not is_cacheable_request():
        return None
    g.board_reading = current_reading()
    if request.if_none_match.contains_weak(page_etag(g.board_reading)):
        g.board_page_was_kept = True
        return mark_shareable(current_app.response_class(status=304), g.board_reading)
    # Where the front door passed the request on (every request counted by
    # the rate limiter), the page it keeps is served here.
    kept = page_cache().get(page_key(current_app, request.environ), g.board_reading)
    if kept is None:
        return None
    g.board_page_was_kept = True
    return current_app.response_class(kept.body, kept.status, kept.headers)


def keep_page(response):
    """Mark an anonymous reader's page as shareable and have the front door
    keep it as it leaves the site."""
    reading = g.get("board_reading")
    if reading is None or g.get("board_page_was_kept") or response.status_code != 200:
        return response
    # A page that started a session (a form's token, a message) belongs to
    # that visitor alone, and so does any cookie: neither is shared.
    if session.modified or "Set-Cookie" in response.headers:
        return response
    mark_shareable(response, reading)
    keep_answer(request.environ, page_cache(), page_key(current_app, request.environ), reading)
    return response


def keeps_pages():
    return "scratchpad_page_cache" in current_app.extensions


# The execution option of a write to a database older than the site, made
# before its upgrade: it has no board_version of the current shape to raise.
BEFORE_THE_UPGRADE = {"scratchpad_before_the_upgrade": True}


def raise_version_after_board_writes(connection, statement, multiparams, params,
                                     execution_options, result):
    """The engine's ``after_execute`` listener: any statement that writes
    comments or users (an ORM flush or bulk statement, a Core statement, a
    command's, an import's, a restore's) raises the counter, in its own
    transaction."""
    if (getattr(statement, "is_dml", False) and statement.table in BOARD_TABLES
            and not execution_options.get("scratchpad_before_the_upgrade")):
        connection.execute(RAISE_VERSION)


def init_app(app):
    if not app.config["BOARD_PAGE_CACHE"]:
        return
    app.extensions["scratchpad_page_cache"] = PageCache()
    app.extensions["scratchpad_site_fingerprint"] = site_fingerprint(app)
    with app.app_context():
        reading_connection = app.extensions["scratchpad_reading_connection"] = (
            ReadingConnection(db.engine))
        sa.event.listen(db.engine, "after_execute", raise_version_after_board_writes)

    def read_board():
        return BoardReading(*reading_connection.one(CURRENT_READING))

    front_door = app.extensions["scratchpad_front_door"] = FrontDoor(app.wsgi_app, app, read_board)
    app.wsgi_app = front_door
    app.before_request(serve_kept_page)
    app.after_request(keep_page)
