"""What curl and patience can send: broken or forged cookies, oversized,
undecodable or repeated form fields. Each gets a 4xx or the usual login
answer, never a 500, and nothing is stored."""
import pytest

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import PASSWORD, WebUser, all_comments, csrf_token, is_logged_in, visible_text

FORM = "application/x-www-form-urlencoded"


def user_count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(User))


@pytest.mark.parametrize("value", [
    "garbage", "", "eyJfdXNlcl9pZCI6IjE6MSJ9.bad.signature",
    ".eJyrVkpUsqpWSsksUrJSSklNSy3OLM7PU6oFAA", "\u00e9t\u00e9", "a" * 4000,
])
def test_a_malformed_session_cookie_is_a_visitor(web, make_user, value):
    make_user("bob")
    web.client.set_cookie("session", value)
    assert web.get("/").status_code == 200
    assert not is_logged_in(web)
    assert web.login().status_code == 302  # and logging in still works


@pytest.mark.parametrize("value", ["garbage", "1:1", "1:1|", "1:1|deadbeef", "|", "x" * 4000])
def test_a_malformed_remember_cookie_is_a_visitor(web, make_user, value):
    make_user("bob")
    web.client.set_cookie("remember_token", value)
    assert web.get("/").status_code == 200
    assert not is_logged_in(web)


@pytest.mark.parametrize("path", ["/", "/login/", "/feed.atom", "/healthz", "/static/scratchpad.css",
                                  "/search?q=word"])
def test_a_cookie_that_is_not_utf8_is_ignored(app, web, make_user, path):
    """A sibling subdomain or a proxy can plant such a cookie in a browser."""
    make_user("bob")
    assert web.login().status_code == 302
    session = web.client.get_cookie("session").value
    # A client without a cookie jar sends the Cookie header as given.
    browser = app.test_client(use_cookies=False)
    assert browser.get(path, headers={"Cookie": "planted=\xff\xfe; other=caf\xc3"}).status_code == 200
    # With the session cookie beside it, the reader is still logged in.
    account = browser.get("/account/", headers={"Cookie": f"planted=\xff; session={session}"})
    assert account.status_code == 200


def cookies_from_an_app_with_another_key(database):
    other = create_app({"TESTING": True, "DATABASE_URL": database.url,
                        "SECRET_KEY": "another secret key of sufficient length"})
    web = WebUser(other.test_client())
    assert web.post_form("/login/", {"username": "bob", "password": PASSWORD,
                                     "remember": "y"}).status_code == 302
    cookies = {name: web.client.get_cookie(name).value for name in ("session", "remember_token")}
    with other.app_context():
        db.engine.dispose()
    return cookies


def test_cookies_signed_with_another_key_are_a_visitor(app, database, web, make_user):
    make_user("bob")
    forged = cookies_from_an_app_with_another_key(database)
    for name, value in forged.items():
        web.client.set_cookie(name, value)
        assert web.get("/").status_code == 200
        assert not is_logged_in(web), name
        web.client.delete_cookie(name)


def test_an_oversized_login_form_is_a_413(app, web, make_user):
    make_user("bob")
    response = web.login("bob", PASSWORD + "x" * (1024 * 1024))
    assert response.status_code == 413
    assert "413" in visible_text(response)
    assert not is_logged_in(web)


def post_raw_form(web, path, body, form_page=None):
    token = csrf_token(web.client, form_page or path).encode()
    return web.client.post(path, data=b"csrf_token=" + token + b"&" + body, content_type=FORM)


@pytest.mark.parametrize("body", [b"username=%FF%FE&password=x", b"username=bob&password=%C3%28",
                                  b"username=\xffbob&password=x", b"username=bob&password=\xe9"])
def test_a_login_form_that_is_not_utf8_is_a_400(app, web, make_user, body):
    make_user("bob")
    response = post_raw_form(web, "/login/", body)
    assert response.status_code == 400
    assert "not sent as UTF-8" in visible_text(response)
    assert not is_logged_in(web)


@pytest.mark.parametrize("body", [b"contents=caf%E9", b"contents=\xff\xfe", b"contents=%ED%A0%80"])
def test_a_comment_that_is_not_utf8_is_a_400_and_stores_nothing(app, web, make_user, body):
    make_user("bob")
    web.login()
    response = post_raw_form(web, "/", body)
    assert response.status_code == 400
    assert all_comments(app) == []


@pytest.mark.parametrize("body", [
    b"username=bob&password=wrong&password=" + PASSWORD.encode(),
    b"username=eve&username=bob&password=" + PASSWORD.encode(),
    b"username=bob&username=bob&password=" + PASSWORD.encode(),
])
def test_repeated_login_fields_are_a_400(app, web, make_user, body):
    make_user("bob")
    response = post_raw_form(web, "/login/", body)
    assert response.status_code == 400
    assert "more than once" in visible_text(response)
    assert not is_logged_in(web)


def test_repeated_comment_fields_are_a_400_and_store_nothing(app, web, make_user):
    make_user("bob")
    web.login()
    response = post_raw_form(web, "/", b"contents=first&contents=second")
    assert response.status_code == 400
    assert all_comments(app) == []


@pytest.mark.parametrize("text", ["nul \x00 inside", "\x00"])
def test_a_comment_with_a_nul_character_is_a_400_and_stores_nothing(app, web, make_user, text):
    make_user("bob")
    web.login()
    response = web.post_comment(text)
    assert response.status_code == 400
    assert "NUL character" in visible_text(response)
    assert all_comments(app) == []


@pytest.mark.parametrize("username, password", [("bob\x00", PASSWORD), ("\x00", PASSWORD),
                                                ("bob", PASSWORD + "\x00")])
def test_a_login_with_a_nul_character_is_a_400(app, web, make_user, username, password):
    make_user("bob")
    response = web.login(username, password)
    assert response.status_code == 400
    assert not is_logged_in(web)


@pytest.mark.parametrize("username", ["x" * 10_000, " " * 200, "bob\t\n"])
def test_an_impossible_username_is_a_failed_login_and_stores_nothing(app, web, make_user,
                                                                    username):
    make_user("bob")
    response = web.login(username, PASSWORD)
    assert response.status_code == 401
    assert "Incorrect username or password" in visible_text(response)
    assert user_count(app) == 1


def test_a_multipart_form_is_a_415_and_stores_nothing(app, web, make_user):
    make_user("bob")
    login = web.client.post("/login/", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web.client), "username": "bob", "password": PASSWORD})
    assert login.status_code == 415
    assert not is_logged_in(web)

    web.login()
    comment = web.client.post("/", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web.client, "/"), "contents": "nul \x00 inside"})
    assert comment.status_code == 415
    assert all_comments(app) == []
