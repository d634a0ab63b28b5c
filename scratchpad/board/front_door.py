"""Board pages kept as they leave the site, and served again before the site
handles the request.

The site decides which answers may be kept, where and for how long
(``keep_answer``: an anonymous reader's board page in page_cache.py, a
logged-in reader's in personal_pages.py, each under a reading of
``board_version``). This WSGI middleware keeps each such answer as it leaves
the site, headers and compressed body included, so that serving it again
costs neither rendering nor compressing. A page is kept under its path, its
language and the encodings the browser accepts; a logged-in reader's also
under everything the site reads to know who asks: the session and remember-me
cookies, the browser's name and the addresses it came from and by.

When a reader without a session asks for a kept page, the front door reads
the counter, one statement, and if nothing has changed sends the kept answer,
or ``304 Not Modified`` to a reader whose ``If-None-Match`` names it, without
the site's request handling, which has nothing else to do for such a reader.
A logged-in reader's kept page is sent to the same cookies, browser and
addresses only while one statement shows the board unchanged and the login
session alive and seen by the site within the last minute: so the site itself
checks the cookies and marks the session seen at least once a minute. Logging
out anywhere, a changed password, a disabled or deleted account, an edit
window ending and half the page's CSRF token time all end a kept page.

Everything else goes to the site: other methods and pages not kept. While
the operator has set rate limits on every request, kept pages are served by
the site, once the limiter has counted the request. A reading taken here is
passed on, so the site does not read the counter again; so is a database
error, so the site answers it with its error page without asking the database
again: a request meets a silent database's timeout once.
"""
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_etags, unquote_etag
from werkzeug.wrappers import Request

from ..models import utc_now
from ..site.errors import DATABASE_FAILED_IN_FRONT
from ..site.languages import language_for
from ..site.limits import limits_every_request

# Set by the site for the request (keep_answer): where to keep its answer.
KEEP_ANSWER = "scratchpad.keep_answer"
# Set here for the site: the reading taken.
READING_TAKEN = "scratchpad.board_reading"

# A 304 carries what names and governs the page, not its body's description.
NOT_SENT_WITH_304 = frozenset({"content-length", "content-type", "content-encoding"})


class KeptAnswer(NamedTuple):
    status: str
    headers: list
    body: bytes
    etag: str | None
    # When it must no longer be served (naive UTC), if before any change.
    until: datetime | None
    # The hash of the login session's token it was rendered for, if any.
    reader: str | None

    @classmethod
    def of(cls, status, headers, body, until, reader):
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        return cls(status, headers, body, unquote_etag(etag)[0] if etag else None, until,
                   reader)

    def not_modified_headers(self):
        return [(name, value) for name, value in self.headers
                if name.lower() not in NOT_SENT_WITH_304]


class Keeping(NamedTuple):
    pages: Any  # a page_cache.PageCache
    key: tuple
    reading: tuple
    until: datetime | None
    reader: str | None


def keep_answer(environ, pages, key, reading, until=None, reader=None):
    """Have this request's answer, as it leaves the site, kept in ``pages``
    under ``key`` and ``reading`` (served at most until ``until``, and for
    a logged-in reader's page, ``reader``: their login session's token hash)."""
    environ[KEEP_ANSWER] = Keeping(pages, key, reading, until, reader)


def page_key(app, environ):
    """Which answer a request asks for: its path and query, its page's
    language and the encodings it accepts."""
    language = language_for(app.config, app.extensions["scratchpad_languages"],
                            environ.get("HTTP_ACCEPT_LANGUAGE", ""))
    return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""), language, environ.get("HTTP_ACCEPT_ENCODING", ""))


# Besides the session and remember-me cookies, what the site reads of a
# request to know who asks: for Flask-Login's session protection the
# browser's name and the address, as sent or as a trusted proxy says it.
WHO_ASKS = ("HTTP_USER_AGENT", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO",
            "HTTP_HOST", "wsgi.url_scheme")


def session_cookies(app, environ):
    """The session and remember-me cookies' values, None where absent, read
    as the site reads them (a cookie whose bytes are not UTF-8 is no error)."""
    cookies = Request(environ).cookies
    return (cookies.get(app.config["SESSION_COOKIE_NAME"]),
            cookies.get(app.config["REMEMBER_COOKIE_NAME"]))


def personal_page_key(app, environ, cookies=None):
    """Which answer a logged-in reader asks for: as ``page_key``, and
    everything by which the site knows the reader."""
    cookies = session_cookies(app, environ) if cookies is None else cookies
    return (*page_key(app, environ), *cookies, *(environ.get(name, "") for name in WHO_ASKS))


class FrontDoor:
    def __init__(self, wsgi_app, app, read_board):
        self.wsgi_app = wsgi_app
        self.app = app
        self.read_board = read_board
        # Set by personal_pages.py: (pages, read_for_the_reader(reader)),
        # the reading and whether the login session was seen within a minute.
        self.personal_pages = None

    def __call__(self, environ, start_response):
        # With limits on every request, the site serves kept pages itself,
        # once the limiter has counted the request.
        if environ.get("REQUEST_METHOD") != "GET" or limits_every_request(self.app.config):
            return self.keep_what_the_site_keeps(environ, start_response)
        cookies = session_cookies(self.app, environ) if environ.get("HTTP_COOKIE") else None
        if cookies is not None and cookies != (None, None):
            return self.serve_personal_page(environ, start_response, cookies)
        kept_pages = self.app.extensions.get("scratchpad_page_cache")
        if kept_pages is not None:
            kept = kept_pages.kept(page_key(self.app, environ))
            if kept is not None:
                kept_reading, answer = kept
                try:
                    reading = self.read_board()
                except SQLAlchemyError as error:
                    environ[DATABASE_FAILED_IN_FRONT] = error
                    return self.wsgi_app(environ, start_response)
                if reading == kept_reading:
                    return self.send(answer, environ, start_response)
                environ[READING_TAKEN] = reading
        return self.keep_what_the_site_keeps(environ, start_response)

    def serve_personal_page(self, environ, start_response, cookies):
        if self.personal_pages is not None:
            pages, read_for_the_reader = self.personal_pages
            kept = pages.kept(personal_page_key(self.app, environ, cookies))
            if kept is not None:
                kept_reading, answer = kept
                try:
                    reading, recently_seen = read_for_the_reader(answer.reader)
                except SQLAlchemyError as error:
                    environ[DATABASE_FAILED_IN_FRONT] = error
                    return self.wsgi_app(environ, start_response)
                if (reading == kept_reading and recently_seen
                        and (answer.until is None or utc_now() < answer.until)):
                    start_response(answer.status, answer.headers)
                    return [answer.body]
        return self.keep_what_the_site_keeps(environ, start_response)

    def send(self, answer, environ, start_response):
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if answer.etag and if_none_match and parse_etags(if_none_match).contains_weak(
                answer.etag):
            start_response("304 Not Modified", answer.not_modified_headers())
            return []
        start_response(answer.status, answer.headers)
        return [answer.body]

    def keep_what_the_site_keeps(self, environ, start_response):
        started = []

        def remember_start(status, headers, exc_info=None):
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember_start)
        keeping = environ.get(KEEP_ANSWER)
        if keeping is None or not started:
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        status, headers = started[-1]
        # A cookie set as the answer left (a session saved) is never replayed.
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return [content]
        keeping.pages.put(keeping.key, keeping.reading, KeptAnswer.of(
            status, list(headers), content, keeping.until, keeping.reader))
        return [content]
