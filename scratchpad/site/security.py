"""Security headers on every response, which proxy headers to believe, and
forms read strictly."""
import functools

from flask import current_app, g, make_response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .form_parsing import StrictFormRequest

# Scripts and styles come only from the site's own files (Bootstrap included):
# no inline <script>, no style="" attributes, no event-handler attributes.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap's CSS draws its icons as data: SVGs
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Same-origin requests keep their Referer: Flask-WTF checks it on HTTPS forms.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

HSTS_ONE_YEAR = "max-age=31536000"
# Header names are matched ignoring case.
SECURITY_HEADERS_TO_ADD = [(name.lower(), name, value) for name, value in SECURITY_HEADERS.items()]


def no_store(view):
    """For a page with a form: its CSRF token and anything typed into it must
    not be kept by the browser's cache or a shared proxy."""
    @functools.wraps(view)
    def answer_without_storing(*args, **kwargs):
        g.no_store = True
        return make_response(view(*args, **kwargs))
    return answer_without_storing


def is_private(response):
    """Whether a response must not be stored: a form page, or any answer to a
    request with a session or remember-me cookie, which every logged-in
    user's requests carry. Decided from the request: asking who the user is
    could need the database, after the answer is made."""
    if g.get("no_store"):
        return True
    return request.endpoint != "static" and carries_a_session()


def carries_a_session():
    """Whether the request has a session or remember-me cookie: every logged-in
    user's requests do, and no request without one can be theirs."""
    config = current_app.config
    return (config["SESSION_COOKIE_NAME"] in request.cookies
            or config["REMEMBER_COOKIE_NAME"] in request.cookies)


def add_security_headers(response):
    """Each security header the response has not set already."""
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    for lowered_name, name, value in SECURITY_HEADERS_TO_ADD:
        if lowered_name not in present:
            headers.add(name, value)
    if is_private(response):
        headers["Cache-Control"] = "no-store"
    # Browsers obey this only over HTTPS, which production is served over.
    if current_app.config["PRODUCTION"] and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", HSTS_ONE_YEAR)
    return response


def init_app(app):
    app.request_class = StrictFormRequest
    app.after_request(add_security_headers)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Only then is X-Forwarded-For the client's address (for the login
        # limits) and X-Forwarded-Proto the scheme; otherwise anyone could
        # claim any address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
