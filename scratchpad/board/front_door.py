"""Anonymous readers' board pages, served again before the site handles the
request.

The site decides which answers may be kept (page_cache.py: an anonymous
reader's board page, rendered under a reading of ``board_version``). This WSGI
middleware keeps each such answer as it leaves the site, headers and
compressed body included, under its path, language and ``Accept-Encoding``.
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
from typing import NamedTuple

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie, parse_etags, unquote_etag

from ..site.languages import language_for
from ..site.limits import LIMITS_ON_EVERY_REQUEST

# Set by the site for the request (page_cache.py): the reading its page was
# rendered under, when the answer may be kept.
KEEP_UNDER_READING = "scratchpad.keep_board_page"
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

    @classmethod
    def of(cls, status, headers, body):
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        return cls(status, headers, body, unquote_etag(etag)[0] if etag else None)

    def not_modified_headers(self):
        return [(name, value) for name, value in self.headers
                if name.lower() not in NOT_SENT_WITH_304]


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
        kept_pages = self.app.extensions.get("scratchpad_page_cache")
        if (kept_pages is None or environ.get("REQUEST_METHOD") != "GET"
                or self.carries_a_session(environ)):
            return self.wsgi_app(environ, start_response)
        key = page_key(self.app, environ)
        # With limits on every request, the site serves the kept page itself
        # once the limiter has counted the request.
        kept = None if self.limits_every_request() else kept_pages.kept(key)
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
        return self.keep_if_kept_by_the_site(kept_pages, key, environ, start_response)

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

    def keep_if_kept_by_the_site(self, kept_pages, key, environ, start_response):
        started = []

        def remember_start(status, headers, exc_info=None):
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember_start)
        reading = environ.get(KEEP_UNDER_READING)
        if reading is None or not started:
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        status, headers = started[-1]
        kept_pages.put(key, reading, KeptAnswer.of(status, list(headers), content))
        return [content]
