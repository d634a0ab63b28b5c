"""Kept pages are served by the front door, before the site's request
handling, as they left the site (headers, compression and all): an anonymous
reader's to readers without a session, a logged-in reader's to the same
cookies, browser and address while the login session lives and the site has
seen it within a minute; still counted by limits on every request, and never
past a change or a database outage."""
import gzip
import threading
from datetime import timedelta

import brotli
import pytest
import sqlalchemy as sa
from flask import request

from scratchpad import create_app
from scratchpad.board.reading_connection import CONNECTIONS_KEPT
from scratchpad.extensions import db, limiter
from scratchpad.models import LoginSession, utc_now

from .helpers import WebUser, add_comment, visible_text
from .test_statement_count import counted_statements

pytestmark = pytest.mark.engines


@pytest.fixture
def handled_by_the_site(app):
    """The paths of the requests the site's own request handling saw."""
    seen = []
    app.before_request_funcs.setdefault(None, []).insert(
        0, lambda: seen.append(request.full_path))
    return seen


def many_comments(app, count=20):
    for number in range(count):
        add_comment(app, f"A comment long enough to be worth compressing, number {number}.")


def test_a_kept_page_is_served_without_the_sites_request_handling(app, client,
                                                                  handled_by_the_site):
    add_comment(app, "Kept")
    first = client.get("/")
    assert handled_by_the_site == ["/?"]
    with counted_statements(app) as statements:
        again = client.get("/")
    assert handled_by_the_site == ["/?"]
    assert len(statements) == 1
    assert again.get_data() == first.get_data()
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    for name in ("Content-Security-Policy", "X-Frame-Options", "ETag", "Vary"):
        assert again.headers[name] == first.headers[name]


def test_a_change_is_rendered_by_the_site_with_the_reading_already_taken(app, client,
                                                                          handled_by_the_site):
    add_comment(app, "First")
    client.get("/")
    add_comment(app, "Second")
    with counted_statements(app) as statements:
        page = client.get("/").get_data(as_text=True)
    assert "Second" in page
    assert handled_by_the_site == ["/?", "/?"]
    # The reading, then the page: the site does not read the counter again.
    assert len(statements) == 2


def test_each_encoding_gets_its_own_kept_answer(app, client):
    many_comments(app)
    plain = client.get("/").get_data()
    for _ in range(2):
        gzipped = client.get("/", headers={"Accept-Encoding": "gzip"})
        assert gzipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(gzipped.get_data()) == plain
        brotlied = client.get("/", headers={"Accept-Encoding": "br"})
        assert brotlied.headers["Content-Encoding"] == "br"
        assert brotli.decompress(brotlied.get_data()) == plain
        identity = client.get("/")
        assert "Content-Encoding" not in identity.headers
        assert identity.get_data() == plain


def test_each_language_gets_its_own_kept_answer(app, client):
    add_comment(app, "Words")
    for _ in range(2):
        german = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
        english = client.get("/", headers={"Accept-Language": "en-GB"})
        assert '<html lang="de"' in german.get_data(as_text=True)
        assert '<html lang="en"' in english.get_data(as_text=True)
        assert german.headers["ETag"] != english.headers["ETag"]


def test_the_front_door_answers_a_current_etag_with_304(app, client, handled_by_the_site):
    many_comments(app)
    kept = client.get("/", headers={"Accept-Encoding": "gzip"})
    answer = client.get("/", headers={"Accept-Encoding": "gzip",
                                      "If-None-Match": kept.headers["ETag"]})
    assert handled_by_the_site == ["/?"]
    assert answer.status_code == 304
    assert answer.get_data() == b""
    assert "Content-Encoding" not in answer.headers
    for name in ("ETag", "Cache-Control", "Vary"):
        assert answer.headers[name] == kept.headers[name]
    stale = client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": 'W/"old"'})
    assert stale.status_code == 200 and stale.get_data() == kept.get_data()


def test_readers_with_a_session_never_get_a_kept_page(app, client, make_user):
    make_user("bob")
    add_comment(app, "Words")
    kept = client.get("/")
    bob = WebUser(app.test_client())
    assert bob.login().status_code == 302
    page = bob.get("/")
    assert page.get_data() != kept.get_data()
    assert "Post a comment" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    # A remember-me cookie alone is a session too.
    remembered = app.test_client()
    remembered.set_cookie(app.config["REMEMBER_COOKIE_NAME"], "anything")
    assert remembered.get("/").headers["Cache-Control"] == "no-store"


def test_other_methods_go_to_the_site(app, client, handled_by_the_site):
    add_comment(app, "Words")
    client.get("/")
    assert client.head("/").status_code == 200
    assert client.post("/", data={"contents": "Sneaky"}).status_code in (302, 400, 401)
    assert len(handled_by_the_site) == 3


@pytest.fixture
def limited_app(app):
    """The app with a limit on every request, however many."""
    def limited(limit):
        return create_app({**app.config, "RATELIMIT_ENABLED": True,
                           "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_APPLICATION": limit})
    yield limited
    # The limiter is shared by every app of the test run.
    limiter.limit_manager.set_application_limits([])


def test_limits_on_every_request_count_readers_of_kept_pages(limited_app):
    limited = limited_app("3 per minute")
    add_comment(limited, "Words")
    reader = limited.test_client()
    statuses = [reader.get("/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_limits_on_every_request_still_leave_pages_kept(limited_app):
    limited = limited_app("100 per minute")
    add_comment(limited, "Words")
    reader = limited.test_client()
    first = reader.get("/")
    with counted_statements(limited) as statements:
        again = reader.get("/")
    assert again.get_data() == first.get_data()
    assert len(statements) == 1


def bobs_page(bob, **kwargs):
    response = bob.get("/", **kwargs)
    assert response.status_code == 200
    return response


def test_a_logged_in_readers_kept_page_is_served_without_the_sites_request_handling(
        app, bob, handled_by_the_site):
    add_comment(app, "Kept for bob")
    bobs_page(bob)  # the session's CSRF secret is made on the first page
    first = bobs_page(bob)
    seen = len(handled_by_the_site)
    with counted_statements(app) as statements:
        again = bobs_page(bob)
    assert len(handled_by_the_site) == seen
    assert len(statements) == 1
    assert again.get_data() == first.get_data()
    assert again.headers["Cache-Control"] == "no-store"


def copy_of_cookies(app, web):
    copy = app.test_client()
    for name in (app.config["SESSION_COOKIE_NAME"], app.config["REMEMBER_COOKIE_NAME"]):
        cookie = web.client.get_cookie(name)
        if cookie is not None:
            copy.set_cookie(name, cookie.value)
    return copy


def test_cookies_kept_from_before_a_logout_never_get_the_page(app, bob):
    bobs_page(bob), bobs_page(bob)
    copy = copy_of_cookies(app, bob)
    assert "Post a comment" in copy.get("/").get_data(as_text=True)
    assert bob.logout().status_code == 302
    shown = visible_text(copy.get("/"))
    assert "Post a comment" not in shown and "Log in" in shown


def test_another_browser_with_the_same_cookies_goes_to_the_site(app, bob, handled_by_the_site):
    bobs_page(bob), bobs_page(bob)
    seen = len(handled_by_the_site)
    bobs_page(bob, headers={"User-Agent": "Another browser/1.0"})
    assert len(handled_by_the_site) == seen + 1
    bobs_page(bob, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert len(handled_by_the_site) == seen + 2


def test_the_site_sees_a_reader_at_least_once_a_minute(app, bob, handled_by_the_site):
    bobs_page(bob), bobs_page(bob)
    a_while_ago = utc_now() - timedelta(minutes=2)
    with app.app_context():
        db.session.execute(sa.update(LoginSession).values(last_seen=a_while_ago))
        db.session.commit()
    seen = len(handled_by_the_site)
    bobs_page(bob)
    assert len(handled_by_the_site) == seen + 1
    with app.app_context():
        assert db.session.scalar(sa.select(LoginSession.last_seen)) > a_while_ago
    bobs_page(bob)
    assert len(handled_by_the_site) == seen + 1


def test_a_changed_password_ends_the_kept_page(app, bob, runner):
    bobs_page(bob), bobs_page(bob)
    result = runner.invoke(args=["users", "set-password", "bob", "--password-stdin"],
                           input="a brand new passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Post a comment" not in visible_text(bob.get("/"))


def test_other_cookies_do_not_keep_the_page_from_a_reader(app, bob, handled_by_the_site):
    bobs_page(bob), bobs_page(bob)
    seen = len(handled_by_the_site)
    bob.client.set_cookie("preference", "something else")
    bobs_page(bob)
    assert len(handled_by_the_site) == seen


def test_readers_on_new_threads_leave_the_pool_its_connections(app):
    """A server may start a thread for every request (flask run does): the
    front door lends its connections for a reading, never to a thread."""
    small = create_app({**app.config, "SQLALCHEMY_ENGINE_OPTIONS": {
        "pool_size": 3, "max_overflow": 0, "pool_timeout": 2}})
    add_comment(small, "Words")
    statuses = []

    def read_the_board():
        statuses.append(small.test_client().get("/").status_code)

    try:
        for _ in range(10):
            reader = threading.Thread(target=read_the_board)
            reader.start()
            reader.join()
        at_once = [threading.Thread(target=read_the_board) for _ in range(30)]
        for reader in at_once:
            reader.start()
        for reader in at_once:
            reader.join()
        assert statuses == [200] * 40
        with small.app_context():
            assert db.engine.pool.checkedout() <= CONNECTIONS_KEPT
    finally:
        with small.app_context():
            db.engine.dispose()
