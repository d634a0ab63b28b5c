"""A logged-in reader's board pages, kept by each process for that reader's
login session alone and served again while nothing they show has changed.

A page is kept under the same reading of ``board_version`` as the anonymous
readers' pages (board/page_cache.py), taken in the statement that finds the
reader's login session: any change to comments or users, the reader's own
account included, is a new reading. What else a page depends on is in its
key (everything the site reads to know the reader: the session and
remember-me cookies, the browser's name and its addresses; the language, the
path and query, the encodings accepted) or in how long it may be served
(``changes_at``): until the first of the reader's own comments on it leaves
its edit window, and until half of its CSRF token's time limit has passed,
so that a form on a kept page always has at least that long to be sent.

Nothing is kept or served while a message waits to be shown (a flash), nor
when rendering the page changed the session or set a cookie. A page is kept
as it leaves the site (front_door.py), compressed, so that serving it again
compresses nothing either. The front door serves it again after one
statement shows the board unchanged and the login session alive and seen by
the site within the last minute; otherwise the site finds the reader first.
Kept pages never leave the process: their answers stay
``Cache-Control: no-store``.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_login import current_user

from ..accounts.sessions import (LAST_SEEN_PRECISION, read_with_the_user, token_hash,
                                 values_read_with_the_user)
from ..models import LoginSession, utc_now
from .front_door import keep_answer, personal_page_key
from .page_cache import (BOARD_VERSION, CACHED_ENDPOINTS, NEWEST_ACCOUNT_ID, BoardReading,
                         PageCache)

PAGES_KEPT = 32  # a few hundred kilobytes a process

# The board's reading, and when the reader's login session was last seen.
READING_FOR_THE_READER = sa.select(
    BOARD_VERSION, NEWEST_ACCOUNT_ID,
    sa.select(LoginSession.last_seen)
    .where(LoginSession.token_hash == sa.bindparam("reader")).scalar_subquery())


def personal_pages():
    return current_app.extensions["scratchpad_personal_pages"]


def page_key():
    """The page's key (front_door.personal_page_key); None where no page may
    be kept: not a GET of the board, nobody logged in, or a message waiting."""
    if (request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS
            or "_flashes" in session or not current_user.is_authenticated):
        return None
    return personal_page_key(current_app, request.environ)


def page_changes_at(moment):
    """Called while a page is rendered: it shows something that changes at
    ``moment`` (naive UTC), so it may be served until then at the latest."""
    earliest = g.get("personal_page_changes_at")
    if earliest is None or moment < earliest:
        g.personal_page_changes_at = moment


def csrf_token_lifetime():
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    return None if limit is None else timedelta(seconds=limit / 2)


def serve_kept_personal_page():
    key = page_key()
    if key is None:
        return None
    g.personal_page_key = key
    values = values_read_with_the_user()
    g.personal_page_reading = BoardReading(values["board_version"], values["newest_account_id"])
    kept = personal_pages().get(key, g.personal_page_reading)
    if (kept is None or kept.reader != token_hash(current_user.session_token)
            or (kept.until is not None and utc_now() >= kept.until)):
        return None
    g.personal_page_was_kept = True
    return current_app.response_class(kept.body, kept.status, kept.headers)


def keep_personal_page(response):
    key = g.get("personal_page_key")
    if (key is None or g.get("personal_page_was_kept") or response.status_code != 200
            or session.modified or "Set-Cookie" in response.headers):
        return response
    changes_at = g.get("personal_page_changes_at")
    token_lifetime = csrf_token_lifetime()
    if token_lifetime is not None:
        token_stale_at = utc_now() + token_lifetime
        changes_at = token_stale_at if changes_at is None else min(changes_at, token_stale_at)
    keep_answer(request.environ, personal_pages(), key, g.personal_page_reading, changes_at,
                reader=token_hash(current_user.session_token))
    return response


def init_app(app):
    if not app.config["BOARD_PAGE_CACHE"]:
        return
    pages = app.extensions["scratchpad_personal_pages"] = PageCache(PAGES_KEPT)
    # The reading comes with the user: one statement for both.
    read_with_the_user("board_version", BOARD_VERSION)
    read_with_the_user("newest_account_id", NEWEST_ACCOUNT_ID)
    reading_connection = app.extensions["scratchpad_reading_connection"]

    def read_for_the_reader(reader):
        version, newest_account_id, last_seen = reading_connection.one(
            READING_FOR_THE_READER, {"reader": reader})
        recently_seen = last_seen is not None and last_seen >= utc_now() - LAST_SEEN_PRECISION
        return BoardReading(version, newest_account_id), recently_seen

    app.extensions["scratchpad_front_door"].personal_pages = (pages, read_for_the_reader)
    app.before_request(serve_kept_personal_page)
    app.after_request(keep_personal_page)
