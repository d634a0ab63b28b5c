"""Session and remember-me cookies, session protection, and sessions ending
when the password changes."""
import pytest

from scratchpad import create_app
from scratchpad.extensions import db

from .helpers import PASSWORD, WebUser, csrf_token, is_logged_in

NEW_PASSWORD = "a brand new passphrase"
HTTPS_SITE = "https://scratchpad.example"


def set_cookie_attributes(response, name):
    """The attributes of the cookie `name` set by a response, lower-cased."""
    for header in response.headers.getlist("Set-Cookie"):
        cookie, *attributes = (part.strip() for part in header.split(";"))
        if cookie.startswith(name + "="):
            return {attribute.lower() for attribute in attributes}
    raise AssertionError(f"no {name} cookie set")


def login_remembered(web, username="bob", password=PASSWORD, **kwargs):
    return web.post_form("/login/", {"username": username, "password": password, "remember": "y"},
                         **kwargs)


def new_web_user(app):
    return WebUser(app.test_client())


def test_cookies_are_http_only_and_same_site_lax_but_not_secure_over_http(app, web, make_user):
    make_user("bob")
    response = login_remembered(web)
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        attributes = set_cookie_attributes(response, name)
        assert {"httponly", "samesite=lax"} <= attributes, name
        assert "secure" not in attributes, name


def test_in_production_the_cookies_are_secure_and_host_only(app, database, make_user):
    make_user("bob")
    production = create_app({"PRODUCTION": True, "DATABASE_URL": database.url,
                             "SECRET_KEY": "a production key that is long enough"})
    client = production.test_client()
    # Over HTTPS Flask-WTF also checks that a form comes from the same site.
    token = csrf_token(client, HTTPS_SITE + "/login/")
    response = client.post(HTTPS_SITE + "/login/", headers={"Referer": HTTPS_SITE + "/login/"},
                           data={"username": "bob", "password": PASSWORD, "remember": "y",
                                 "csrf_token": token})
    assert response.status_code == 302
    # The __Host- prefix: browsers keep the cookie only if it is Secure, has
    # Path=/ and no Domain, so no other host or path can set or read it.
    for name in ("__Host-session", "__Host-remember_token"):
        attributes = set_cookie_attributes(response, name)
        assert {"secure", "httponly", "samesite=lax", "path=/"} <= attributes, name
        assert not [attribute for attribute in attributes if attribute.startswith("domain")], name
    with production.app_context():
        db.engine.dispose()


def test_a_session_from_another_browser_is_no_longer_fresh(app, web, make_user):
    make_user("bob")
    web.login()
    with web.client.session_transaction() as session:
        assert session["_fresh"] is True
    web.client.environ_base["HTTP_USER_AGENT"] = "a stolen cookie elsewhere"
    assert is_logged_in(web)
    with web.client.session_transaction() as session:
        assert session["_fresh"] is False


def test_strong_session_protection_logs_out_a_session_from_another_browser(app, web, make_user):
    app.config["SESSION_PROTECTION"] = "strong"
    make_user("bob")
    web.login()
    assert is_logged_in(web)
    web.client.environ_base["HTTP_USER_AGENT"] = "a stolen cookie elsewhere"
    assert not is_logged_in(web)


@pytest.fixture
def bobs_sessions(app, make_user):
    """Bob logged in three times (one of them only by the remember-me
    cookie), and Alice once."""
    make_user("bob")
    make_user("alice")
    sessions = {name: new_web_user(app) for name in ("changer", "other", "remembered", "alice")}
    for name in ("changer", "other"):
        assert sessions[name].login().status_code == 302
    assert login_remembered(sessions["remembered"]).status_code == 302
    sessions["remembered"].client.delete_cookie("session")
    assert sessions["alice"].login("alice").status_code == 302
    for web in sessions.values():
        assert is_logged_in(web)
    # Visiting gave it a new session; only the remember-me cookie is to speak for it.
    sessions["remembered"].client.delete_cookie("session")
    return sessions


def assert_only_bobs_other_sessions_ended(sessions):
    assert not is_logged_in(sessions["other"])
    assert not is_logged_in(sessions["remembered"])
    assert is_logged_in(sessions["alice"])
    again = new_web_user(sessions["other"].client.application)
    assert again.login("bob", PASSWORD).status_code == 401
    assert again.login("bob", NEW_PASSWORD).status_code == 302


def test_changing_the_password_on_the_web_ends_the_other_sessions(bobs_sessions):
    changer = bobs_sessions["changer"]
    response = changer.post_form("/account/", {"current_password": PASSWORD,
                                               "new_password": NEW_PASSWORD,
                                               "new_password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(changer)
    assert_only_bobs_other_sessions_ended(bobs_sessions)


def test_set_password_from_the_command_line_ends_every_session(app, bobs_sessions):
    result = app.test_cli_runner().invoke(args=["users", "set-password", "bob", "--password-stdin"],
                                          input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert not is_logged_in(bobs_sessions["changer"])
    assert_only_bobs_other_sessions_ended(bobs_sessions)
