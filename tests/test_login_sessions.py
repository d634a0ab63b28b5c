"""Login sessions the server keeps: logging out ends a session for good, a
deleted account's cookies never open another account, every login starts a
new session and CSRF secret, the account page lists where one is logged in,
and a session restored from a remember-me cookie asks for the password again
before administration or a password change."""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import Comment, LoginSession, User, utc_now

from .helpers import PASSWORD, WebUser, add_comment, all_comments, csrf_token, is_logged_in

pytestmark = pytest.mark.engines

NEW_PASSWORD = "a brand new passphrase"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Safari/537.36")


def browser(app, user_agent=None):
    client = app.test_client()
    if user_agent:
        client.environ_base["HTTP_USER_AGENT"] = user_agent
    return WebUser(client)


def log_in_remembered(web, username="bob", password=PASSWORD):
    response = web.post_form("/login/", {"username": username, "password": password,
                                         "remember": "y"})
    assert response.status_code == 302
    return response


def cookies(web, *names):
    return {name: web.client.get_cookie(name).value for name in names
            if web.client.get_cookie(name) is not None}


def browser_with_cookies(app, values):
    """A new browser holding copies of cookies someone else had."""
    web = browser(app)
    for name, value in values.items():
        web.client.set_cookie(name, value)
    return web


def opens(web, path):
    return web.get(path).status_code == 200


def test_logging_out_ends_the_session_and_its_remember_cookie(app, make_user):
    make_user("bob")
    web = browser(app)
    log_in_remembered(web)
    kept = cookies(web, "session", "remember_token")
    assert set(kept) == {"session", "remember_token"}
    assert web.logout().status_code == 302

    assert not is_logged_in(browser_with_cookies(app, {"session": kept["session"]}))
    assert not is_logged_in(browser_with_cookies(app, {"remember_token": kept["remember_token"]}))
    assert not is_logged_in(browser_with_cookies(app, kept))


def test_only_a_hash_of_the_session_token_is_stored(app, make_user):
    make_user("bob")
    web = browser(app)
    log_in_remembered(web)
    with app.app_context():
        hashes = db.session.scalars(sa.select(LoginSession.token_hash)).all()
    assert len(hashes) == 1
    for cookie in cookies(web, "session", "remember_token").values():
        assert hashes[0] not in cookie


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_ids_of_deleted_users_and_comments_are_not_reused(app, make_user):
    make_user("admin", is_admin=True)
    temporary = make_user("tempuser")
    comment = add_comment(app, "soon gone", commenter_id=temporary)
    with app.app_context():
        db.session.delete(db.session.get(Comment, comment))
        service.delete_user(db.session.get(User, temporary))
    assert make_user("newadmin", is_admin=True) != temporary
    assert add_comment(app, "a new one") != comment
    assert [content for _, content, _, _ in all_comments(app)] == ["a new one"]


def deleted_users_cookies(app):
    """tempuser's session and remember-me cookies, kept after an
    administrator deleted tempuser."""
    temporary = WebUser(app.test_client())
    log_in_remembered(temporary, "tempuser")
    kept = cookies(temporary, "session", "remember_token")
    admin = WebUser(app.test_client())
    admin.login("admin")
    assert admin.post_form(f"/admin/users/{user_id(app, 'tempuser')}/delete", {}).status_code == 302
    return kept


def user_id(app, username):
    with app.app_context():
        return service.find_user(username).id


def test_a_deleted_users_cookies_do_not_open_the_next_account(app, make_user):
    make_user("admin", is_admin=True)
    make_user("tempuser")
    kept = deleted_users_cookies(app)
    admin = WebUser(app.test_client())
    admin.login("admin")
    response = admin.post_form("/admin/users/", {"username": "newadmin", "is_admin": "y",
                                                 "new_password": NEW_PASSWORD,
                                                 "new_password_again": NEW_PASSWORD})
    assert response.status_code == 302
    for held in ({"session": kept["session"]}, {"remember_token": kept["remember_token"]}):
        web = browser_with_cookies(app, held)
        assert not opens(web, "/admin/users/")
        assert not is_logged_in(web)


def test_even_a_reused_id_does_not_match_an_old_session(app, make_user):
    """Were an id ever handed out again (a restored backup, a hand-made row),
    the cookies of the account that had it still open nothing."""
    make_user("admin", is_admin=True)
    old_id = make_user("tempuser")
    kept = deleted_users_cookies(app)
    with app.app_context():
        db.session.add(User(id=old_id, username="newadmin", username_key="newadmin",
                            password_hash="!", is_admin=True))
        db.session.commit()
    for held in ({"session": kept["session"]}, {"remember_token": kept["remember_token"]}):
        web = browser_with_cookies(app, held)
        assert not opens(web, "/admin/users/")
        assert not is_logged_in(web)


def test_a_csrf_token_from_before_login_is_refused_after_it(app, make_user):
    make_user("bob")
    make_user("alice")
    web = browser(app)
    before = csrf_token(web.client, "/login/")
    assert web.login("bob").status_code == 302
    assert web.client.post("/", data={"contents": "hi", "csrf_token": before}).status_code == 400
    web.logout()
    assert web.login("alice").status_code == 302
    assert web.client.post("/", data={"contents": "hi", "csrf_token": before}).status_code == 400
    assert all_comments(app) == []
    assert web.post_comment("hello").status_code == 302


def test_every_login_has_a_new_session_cookie(app, make_user):
    make_user("bob")
    web = browser(app)
    csrf_token(web.client, "/login/")
    before = cookies(web, "session")["session"]
    web.login()
    assert cookies(web, "session")["session"] != before


def test_the_account_page_lists_the_sessions_and_ends_the_others(app, make_user):
    make_user("bob")
    make_user("alice")
    here, there, alice = browser(app, FIREFOX), browser(app, CHROME), browser(app)
    here.login()
    log_in_remembered(there)
    alice.login("alice")
    page = here.get("/account/").get_data(as_text=True)
    assert "Firefox on Linux" in page and "Chrome on Windows" in page
    assert page.count("this browser") == 1

    response = here.post_form("/account/sessions/end-others", {}, form_page="/account/")
    assert response.status_code == 302
    assert is_logged_in(here)
    assert is_logged_in(alice)
    assert not is_logged_in(there)
    there.client.delete_cookie("session")
    assert not is_logged_in(there)  # nor by its remember-me cookie
    assert "Chrome on Windows" not in here.get("/account/").get_data(as_text=True)


def test_ending_the_other_sessions_needs_the_csrf_token(app, make_user):
    make_user("bob")
    here, there = browser(app), browser(app)
    here.login()
    there.login()
    here.client.post("/account/sessions/end-others", data={})
    assert is_logged_in(there)


@pytest.fixture
def remembered_admin(app, make_user):
    """An administrator whose browser kept only the remember-me cookie."""
    make_user("admin", is_admin=True)
    web = browser(app)
    log_in_remembered(web, "admin")
    web.client.delete_cookie("session")
    return web


def test_a_remembered_session_asks_for_the_password_before_administration(remembered_admin):
    web = remembered_admin
    response = web.get("/admin/users/")
    assert response.status_code == 302
    assert response.location.startswith("/reauthenticate/?next=")
    assert is_logged_in(web)  # still logged in, only not fresh

    wrong = web.post_form(response.location, {"password": "not it"})
    assert wrong.status_code == 401
    assert web.get("/admin/users/").status_code == 302
    confirmed = web.post_form(response.location, {"password": PASSWORD})
    assert confirmed.status_code == 302
    assert confirmed.location == "/admin/users/"
    assert web.get("/admin/users/").status_code == 200


def test_a_remembered_session_cannot_change_the_password_unconfirmed(app, remembered_admin):
    web = remembered_admin
    response = web.post_form("/account/", {"current_password": PASSWORD,
                                           "new_password": NEW_PASSWORD,
                                           "new_password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.location.startswith("/reauthenticate/")
    assert WebUser(app.test_client()).login("admin", PASSWORD).status_code == 302


def test_a_fresh_login_administers_without_asking_again(app, make_user):
    make_user("admin", is_admin=True)
    web = browser(app)
    web.login("admin")
    assert web.get("/admin/users/").status_code == 200


def test_one_account_logging_in_from_many_browsers_at_once(app, make_user):
    """Logins of one account at the same moment each start their own session:
    none waits on another's (no deadlock on MariaDB's locks), none is refused."""
    make_user("bob")
    browsers = [browser(app) for _ in range(8)]
    forms = [{"username": "bob", "password": PASSWORD, "csrf_token": csrf_token(web.client)}
             for web in browsers]
    start = threading.Barrier(len(browsers))

    def log_in(web, form):
        start.wait()
        return web.client.post("/login/", data=form).status_code

    with ThreadPoolExecutor(len(browsers)) as pool:
        statuses = list(pool.map(log_in, browsers, forms))

    assert statuses == [302] * len(browsers)
    assert all(is_logged_in(web) for web in browsers)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 8


def test_a_login_removes_the_accounts_expired_sessions_only(app, make_user):
    make_user("bob")
    make_user("ann")
    old, current, others = browser(app), browser(app), browser(app)
    log_in_remembered(old)
    log_in_remembered(others, "ann")
    with app.app_context():
        long_ago = utc_now() - timedelta(days=400)
        db.session.execute(sa.update(LoginSession).values(last_seen=long_ago))
        db.session.commit()
    assert not is_logged_in(old)

    log_in_remembered(current)

    with app.app_context():
        owners = db.session.scalars(sa.select(User.username).join(LoginSession.user)
                                    .order_by(User.username)).all()
    assert owners == ["ann", "bob"]  # bob's expired session went; ann's waits for her login
    assert is_logged_in(current)
