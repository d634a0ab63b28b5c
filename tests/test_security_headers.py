"""Security headers on every response, and pages that keep working under the
Content-Security-Policy: no inline script or style anywhere."""
import re

import pytest

from scratchpad import create_app
from scratchpad.extensions import db

from .helpers import add_comment

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(response):
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


def assert_security_headers(response):
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert policy(response) == EXPECTED_POLICY


def linked_resources(page):
    """The stylesheets and scripts a page loads."""
    return re.findall(r'<(?:link rel="stylesheet"|script)[^>]*?(?:href|src)="([^"]+)"', page)


def test_pages_error_pages_and_static_files_carry_the_headers(app, web, make_user):
    make_user("bob")
    for _ in range(2):  # the second may be a page kept from the first
        assert_security_headers(web.get("/"))
    web.login("bob")
    board = web.get("/")
    resources = linked_resources(board.get_data(as_text=True))
    assert any("bootstrap" in url for url in resources)
    responses = [board, web.get("/login/"), web.get("/account/"),
                 web.get("/no/such/page"), web.client.put("/"),
                 web.client.post("/", data={})]
    responses += [web.get(url) for url in resources]
    assert [r.status_code for r in responses][3:6] == [404, 405, 400]
    for response in responses:
        assert_security_headers(response)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_server_error_page_carries_the_headers(app, client):
    @app.route("/fails")
    def fails():
        raise RuntimeError("a bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/fails")
    assert response.status_code == 500
    assert_security_headers(response)


def test_the_site_loads_its_css_and_js_only_from_itself(app, web, make_user):
    make_user("bob")
    web.login("bob")
    resources = linked_resources(web.get("/").get_data(as_text=True))
    assert resources
    for url in resources:
        assert url.startswith("/") and not url.startswith("//"), url
        response = web.get(url)
        assert response.status_code == 200, url
        response.close()


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_page_has_inline_script_or_style(app, web, make_user):
    """The policy forbids them, so a web would ignore them."""
    make_user("bob", is_admin=True)
    comment = add_comment(app, "a comment", None, None)
    pages = ["/login/", "/no/such/page"]
    web.login("bob")
    pages += ["/", "/account/", "/logout/", f"/comments/{comment}/delete"]
    for path in pages:
        page = web.get(path).get_data(as_text=True)
        for pattern, what in INLINE_CODE:
            assert not pattern.search(page), f"{what} on {path}"


def make_production_app(database, **settings):
    return create_app({"PRODUCTION": True, "DATABASE_URL": database.url,
                       "SECRET_KEY": "a production key that is long enough", **settings})


def test_strict_transport_security_only_in_production(app, database, client):
    assert "Strict-Transport-Security" not in client.get("/login/").headers

    production = make_production_app(database)
    for path in ("/login/", "/no/such/page"):
        response = production.test_client().get(path, base_url="https://scratchpad.example")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert_security_headers(response)
    with production.app_context():
        db.engine.dispose()
