"""How the pages are built: the site's own Bootstrap, no inline script or style
(the Content-Security-Policy forbids them), a label on every input, flash
messages, and error pages that keep the navigation bar and are logged.

Nothing here depends on the database engine, so it runs on SQLite only."""
import logging
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.accounts.first_run import setup_token
from scratchpad.models import Comment

from .helpers import PASSWORD, WebUser, add_comment, csrf_token, visible_text

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageStructure(HTMLParser):
    """What a page is made of, as far as these tests care."""

    def __init__(self, html):
        super().__init__()
        self.elements = []  # (tag, attributes)
        self.label_targets = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])

    def problems(self):
        found = []
        ids = [attributes["id"] for _, attributes in self.elements if "id" in attributes]
        found += [f"duplicate id {name!r}" for name in sorted(set(ids)) if ids.count(name) > 1]
        for tag, attributes in self.elements:
            if "style" in attributes or tag == "style":
                found.append(f"inline style on <{tag}>")
            found += [f"event handler {name} on <{tag}>"
                      for name in attributes if name.startswith("on")]
            if tag == "script" and not attributes.get("src", "").startswith("/"):
                found.append("a script that is not one of the site's own files")
            if tag == "link" and attributes.get("rel") == "stylesheet" \
                    and not attributes.get("href", "").startswith("/"):
                found.append(f"a stylesheet from elsewhere: {attributes.get('href')}")
            needs_label = tag in ("textarea", "select") or (
                tag == "input" and attributes.get("type", "text") not in UNLABELLED_INPUT_TYPES)
            if needs_label and attributes.get("id") not in self.label_targets \
                    and not attributes.get("aria-label"):
                found.append(f"no label for <{tag} name={attributes.get('name')!r}>")
        return found


def assert_well_built(response):
    html = response.get_data(as_text=True)
    assert PageStructure(html).problems() == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert ">My scratchpad</a>" in html  # the navigation bar


@pytest.fixture
def site(app, client, make_user):
    """An administrator, bob with a comment, and their logged-in clients."""
    admin_id = make_user("root", is_admin=True)
    bob_id = make_user("bob")
    root_comment = add_comment(app, "Root's comment", datetime(2017, 9, 1, 17, 44), admin_id)
    bob_comment = add_comment(app, "Bob's comment", datetime(2017, 9, 2, 9, 5), bob_id)
    admin = WebUser(app.test_client())
    admin.login("root")
    bob = WebUser(app.test_client())
    bob.login("bob")
    return {"admin": admin, "bob": bob, "anonymous": WebUser(client), "bob_id": bob_id,
            "root_comment": root_comment, "bob_comment": bob_comment}


def test_the_setup_page_is_well_built(app, client):
    with app.app_context():
        path = f"/setup/{setup_token()}"
    assert_well_built(client.get("/"))
    assert_well_built(client.get(path))
    refused = client.post(path, data={"username": "", "new_password": "x",
                                      "new_password_again": "y",
                                      "csrf_token": csrf_token(client, path)})
    assert refused.status_code == 400
    assert_well_built(refused)


def test_every_page_is_well_built(site):
    admin, bob, anonymous = site["admin"], site["bob"], site["anonymous"]
    pages = {
        "board, anonymous": anonymous.get("/"),
        "login": anonymous.get("/login/"),
        "login failed": anonymous.login("bob", "wrong password"),
        "board, bob": bob.get("/"),
        "board, comment refused": bob.post_comment(""),
        "delete comment": bob.get(f"/comments/{site['bob_comment']}/delete"),
        "account": bob.get("/account/"),
        "account refused": bob.post_form("/account/", {
            "current_password": "nope", "new_password": "a", "new_password_again": "b"}),
        "log out": bob.get("/logout/"),
        "users": admin.get("/admin/users/"),
        "users, add refused": admin.post_form("/admin/users/", {"username": "bob"}),
        "delete user": admin.get(f"/admin/users/{site['bob_id']}/delete"),
        "board, admin": admin.get("/"),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 400, 401), name
        assert_well_built(response)


def test_bootstrap_and_the_sites_files_are_served_by_the_site(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/bootstrap/static/css/bootstrap.min.css\?v=\w+">',
                     html)
    for path, kind in [("/bootstrap/static/css/bootstrap.min.css", "text/css"),
                       ("/static/scratchpad.css", "text/css"),
                       ("/static/scratchpad.js", "text/javascript")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == kind
        response.close()


def test_times_keep_utc_in_their_title(site):
    html = site["anonymous"].get("/").get_data(as_text=True)
    assert ('<time datetime="2017-09-01T17:44:00Z" title="Friday, September 1, 2017, 5:44\u202fPM UTC">'
            'Friday, September 1, 2017, 5:44\u202fPM</time>') in html


def test_the_comment_box_counts_characters_and_keeps_a_refused_text(app, site):
    bob = site["bob"]
    html = bob.get("/").get_data(as_text=True)
    assert 'data-counter="contents-count"' in html
    assert 'data-max-characters="4096"' in html
    assert '<small id="contents-count" class="text-body-secondary" aria-live="polite">' in html
    too_long = "x" * 4096 + "!"
    refused = bob.post_comment(too_long)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert too_long in html
    assert 'aria-invalid="true"' in html
    assert "A comment can be at most 4096 characters." in visible_text(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 2


def alert(response, text):
    """The flash message with that text, as the reader sees it."""
    html = response.get_data(as_text=True)
    return any(f'flash" role="{role}">{text}</div>' in html for role in ("status", "alert"))


def test_flash_messages_say_what_just_happened(site):
    bob, anonymous = site["bob"], site["anonymous"]
    assert alert(bob.post_comment("Hello", follow_redirects=True), "Your comment has been posted.")
    deleted = bob.post_form(f"/comments/{site['bob_comment']}/delete", {}, follow_redirects=True)
    assert alert(deleted, "The comment has been deleted.")
    refused = anonymous.post_form("/", {"contents": "Sneaky"}, form_page="/login/",
                                  follow_redirects=True)
    assert alert(refused, "Please log in to do that.")
    assert alert(anonymous.login("bob", follow_redirects=True), "Logged in as bob.")
    logged_out = anonymous.post_form("/logout/", {}, follow_redirects=True)
    assert alert(logged_out, "Logged out.")


@pytest.fixture
def make_app(database):
    """Apps of their own, with settings the shared test app does not have."""
    made = []

    def make_app(**settings):
        app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "k" * 32, **settings})
        made.append(app)
        return app

    yield make_app
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def failing_app(make_app):
    """An app with a page that fails; the failure is shown as in production
    rather than raised into the test."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/broken")
    def broken_page():
        raise RuntimeError("the page broke")

    return app


@pytest.fixture
def limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, LOGIN_LIMITS_PER_USERNAME="1 per minute")


@pytest.fixture
def app_without_database(make_app):
    return make_app(DATABASE_URL="sqlite:////nonexistent-directory/scratchpad.sqlite")


def provoke(code, site, failing_app, limited_app, app_without_database):
    anonymous, bob = site["anonymous"], site["bob"]
    if code == 400:
        return anonymous.get("/?before=yesterday")
    if code == 403:
        return bob.get(f"/comments/{site['root_comment']}/delete")
    if code == 404:
        return anonymous.get("/no/such/page")
    if code == 405:
        return anonymous.client.put("/")
    if code == 413:
        return anonymous.client.post("/", data={"contents": "x" * (2 * 1024 * 1024)})
    if code == 429:
        client = WebUser(limited_app.test_client())
        client.login("bob", "wrong password")
        return client.login("bob", "wrong password")
    if code == 500:
        return failing_app.test_client().get("/broken")
    if code == 503:
        return app_without_database.test_client().get("/")
    raise AssertionError(code)


@pytest.mark.parametrize("code, name, header", [
    (400, "Bad Request", None),
    (403, "Forbidden", None),
    (404, "Not Found", None),
    (405, "Method Not Allowed", "Allow"),
    (413, "Request Entity Too Large", None),
    (429, "Too Many Requests", "Retry-After"),
    (500, "Internal Server Error", None),
    (503, "Service Unavailable", "Retry-After"),
])
def test_error_pages_keep_the_navigation_and_are_logged(site, failing_app, limited_app,
                                                       app_without_database, caplog,
                                                       code, name, header):
    caplog.set_level(logging.INFO, logger="scratchpad")
    response = provoke(code, site, failing_app, limited_app, app_without_database)
    assert response.status_code == code
    assert_well_built(response)
    text = visible_text(response)
    assert f"{code} {name}" in text
    assert "Back to the comments" in text
    if header:
        assert response.headers[header]
    logged = [record for record in caplog.records
              if record.name == "scratchpad" and record.getMessage().endswith(f" {code}")]
    assert len(logged) == 1
    assert logged[0].levelno == (logging.ERROR if code >= 500 else logging.INFO)
    assert logged[0].getMessage().split(" ")[0] in ("GET", "POST", "PUT")


def test_a_server_error_logs_its_traceback_and_shows_the_friendly_page(failing_app, caplog):
    response = failing_app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Something went wrong on our side" in visible_text(response)
    assert "the page broke" not in response.get_data(as_text=True)
    [failure] = [record for record in caplog.records if record.exc_info]
    assert failure.getMessage() == "Exception on /broken [GET]"
    assert isinstance(failure.exc_info[1], RuntimeError)
    assert "GET /broken 500" in [record.getMessage() for record in caplog.records]


def test_log_lines_on_standard_error_carry_a_timestamp(client, capsys):
    client.get("/no/such/page")
    lines = [line for line in capsys.readouterr().err.splitlines() if "/no/such/page" in line]
    assert len(lines) == 1
    timestamp, level, logger, method, path, status = lines[0].split(" ")
    assert datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
    assert (level, logger) == ("INFO", "scratchpad:")
    assert (method, path, status) == ("GET", "/no/such/page", "404")


def test_successful_requests_are_not_logged(site, caplog):
    caplog.set_level(logging.INFO, logger="scratchpad")
    site["anonymous"].get("/")
    assert [record for record in caplog.records if record.name == "scratchpad"] == []


def test_password_is_changed_on_the_account_page(app, site):
    bob = site["bob"]
    response = bob.post_form("/account/", {"current_password": PASSWORD,
                                           "new_password": "a new password",
                                           "new_password_again": "a new password"},
                             follow_redirects=True)
    assert alert(response, "Your password has been changed. Other sessions have been logged out.")
    assert WebUser(app.test_client()).login("bob", "a new password").status_code == 302


@pytest.mark.parametrize("new_password, again, message", [
    ("short", "short", "The password must be at least 8 characters."),
    (" " * 8, " " * 8, "The password must not be empty."),
    ("a new password", "another password", "The two passwords differ."),
])
def test_the_account_page_refuses_a_bad_new_password(app, site, new_password, again, message):
    response = site["bob"].post_form("/account/", {"current_password": PASSWORD,
                                                   "new_password": new_password,
                                                   "new_password_again": again})
    assert response.status_code == 400
    assert message in visible_text(response)
    assert WebUser(app.test_client()).login("bob", PASSWORD).status_code == 302


def test_the_log_level_is_a_setting(make_app, caplog):
    caplog.set_level(logging.INFO, logger="scratchpad")  # and restored after the test
    quiet = make_app(LOG_LEVEL="WARNING")
    assert quiet.test_client().get("/no/such/page").status_code == 404
    assert [record for record in caplog.records if record.name == "scratchpad"] == []
