"""Board pages kept as they leave the site, and anonymous readers' pages
served again before the site handles the request.

The site decides which answers may be kept, where and for how long
(``keep_answer``: an anonymous reader's board page in page_cache.py, a
logged-in reader's in personal_pages.py, each under a reading of
``board_version``). This WSGI middleware keeps each such answer as it leaves
the site, headers and compressed body included, so that serving it again
costs neither rendering nor compressing. An anonymous reader's page is kept
under its path, language and ``Accept-Encoding``.
When the next reader without a session asks for the same page, it reads the
counter, one statement, and if nothing has changed sends the kept answer, or
``304 Not Modified`` to a reader whose ``If-None-Match`` names it, without the
site's request handling, which has nothing else to do for such a reader.

Everything else goes to the site: requests with a session or remember-me
cookie, other methods and pages not kept. While the operator has set rate
limits on every request, kept pages are served by the site, once the limiter
has counted the request. A reading
taken here is passed on, so the site does not read the counter again; so is a
database error, so the site answers it once, with its error page.
"""
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie, parse_etags, unquote_etag

from ..site.languages import language_for
from ..site.limits import LIMITS_ON_EVERY_REQUEST

# Set by the site for the request (keep_answer): where to keep its answer.
KEEP_ANSWER = "scratchpad.keep_answer"
# Set here for the site: the reading taken, or the error taking it raised.
READING_TAKEN = "scratchpad.board_reading"
READING_FAILED = "scratchpad.board_reading_error"

# A 304 carries what names and governs the page, not its body's description.
NOT_SENT_WITH_304 = frozenset({"content-length", "content-type", "content-encoding"})


class KeptAnswer(NamedTuple):
    status: str
    headers: list
    body: bytes
    etag: str | None
    # When it must no longer be served (naive UTC), if before any change.
    until: datetime | None

    @classmethod
    def of(cls, status, headers, body, until):
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        return cls(status, headers, body, unquote_etag(etag)[0] if etag else None, until)

    def not_modified_headers(self):
        return [(name, value) for name, value in self.headers
                if name.lower() not in NOT_SENT_WITH_304]


class Keeping(NamedTuple):
    pages: Any  # a page_cache.PageCache
    key: tuple
    reading: tuple
    until: datetime | None


def keep_answer(environ, pages, key, reading, until=None):
    """Have this request's answer, as it leaves the site, kept in ``pages``
    under ``key`` and ``reading`` (and served at most until ``until``)."""
    environ[KEEP_ANSWER] = Keeping(pages, key, reading, until)


def page_key(app, environ):
    """Which answer a request asks for: its path and query, its page's
    language and the encodings it accepts."""
    language = language_for(app.config, app.extensions["scratchpad_languages"],
                            environ.get("HTTP_ACCEPT_LANGUAGE", ""))
    return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""), language, environ.get("HTTP_ACCEPT_ENCODING", ""))


class FrontDoor:
    def __init__(self, wsgi_app, app, read_board):
        self.wsgi_app = wsgi_app
        self.app = app
        self.read_board = read_board

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        kept_pages = self.app.extensions.get("scratchpad_page_cache")
        # With limits on every request, the site serves the kept page itself
        # once the limiter has counted the request.
        if (kept_pages is not None and not self.carries_a_session(environ)
                and not self.limits_every_request()):
            kept = kept_pages.kept(page_key(self.app, environ))
            if kept is not None:
                kept_reading, answer = kept
                try:
                    reading = self.read_board()
                except SQLAlchemyError as error:
                    environ[READING_FAILED] = error
                    return self.wsgi_app(environ, start_response)
                if reading == kept_reading:
                    return self.send(answer, environ, start_response)
                environ[READING_TAKEN] = reading
        return self.keep_what_the_site_keeps(environ, start_response)

    def carries_a_session(self, environ):
        cookie_header = environ.get("HTTP_COOKIE")
        if not cookie_header:
            return False
        cookies = parse_cookie(cookie_header)
        config = self.app.config
        return (config["SESSION_COOKIE_NAME"] in cookies
                or config["REMEMBER_COOKIE_NAME"] in cookies)

    def limits_every_request(self):
        config = self.app.config
        return any(config.get(name) for name in LIMITS_ON_EVERY_REQUEST)

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
        keeping.pages.put(keeping.key, keeping.reading,
                          KeptAnswer.of(status, list(headers), content, keeping.until))
        return [content]
