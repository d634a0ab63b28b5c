"""The users page: only administrators reach it; they add, promote, demote,
disable, enable and delete accounts, but never lock themselves out."""
import pytest
import sqlalchemy as sa

from scratchpad.extensions import db
from scratchpad.models import Comment, User

from .helpers import PASSWORD, WebUser, add_comment, csrf_token, visible_text

USERS_PAGE = "/admin/users/"


@pytest.fixture
def admin(client, make_user):
    """The administrator ``root``, logged in."""
    make_user("root", is_admin=True)
    user = WebUser(client)
    assert user.login("root").status_code == 302
    return user


@pytest.fixture
def bob_id(make_user):
    return make_user("bob")


def account(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            return None
        return {"is_admin": user.is_admin, "is_disabled": user.is_disabled}


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def act(browser, user, action):
    return browser.post_form(f"/admin/users/{user}/{action}", {}, form_page=USERS_PAGE)


def test_administrators_see_every_account(admin, bob_id):
    page = admin.get(USERS_PAGE)
    assert page.status_code == 200
    text = visible_text(page)
    assert "root you Administrator Active" in text
    assert "bob User Active" in text


def test_the_users_link_is_shown_to_administrators_only(app, admin, bob_id):
    assert 'href="/admin/users/"' in admin.get("/").get_data(as_text=True)
    bob = WebUser(app.test_client())
    bob.login("bob")
    assert 'href="/admin/users/"' not in bob.get("/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(USERS_PAGE)
    assert response.status_code == 302
    assert response.location.startswith("/login/")


@pytest.mark.parametrize("method, path", [
    ("get", USERS_PAGE),
    ("post", USERS_PAGE),
    ("post", "/admin/users/{root}/remove-admin"),
    ("post", "/admin/users/{bob}/make-admin"),
    ("post", "/admin/users/{root}/disable"),
    ("post", "/admin/users/{root}/enable"),
    ("get", "/admin/users/{root}/delete"),
    ("post", "/admin/users/{root}/delete"),
])
def test_other_users_are_refused_and_change_nothing(app, make_user, bob_id, method, path):
    make_user("root", is_admin=True)
    bob = WebUser(app.test_client())
    bob.login("bob")
    url = path.format(root=user_id(app, "root"), bob=bob_id)
    if method == "get":
        response = bob.get(url)
    else:
        response = bob.client.post(url, data={
            "csrf_token": csrf_token(bob.client, "/"), "username": "eve",
            "new_password": PASSWORD, "new_password_again": PASSWORD, "is_admin": "y"})
    assert response.status_code == 403
    assert account(app, "root") == {"is_admin": True, "is_disabled": False}
    assert account(app, "bob") == {"is_admin": False, "is_disabled": False}
    assert account(app, "eve") is None


def test_make_and_remove_administrator(app, admin, bob_id):
    assert act(admin, bob_id, "make-admin").status_code == 302
    assert account(app, "bob")["is_admin"] is True
    assert "bob is now an administrator." in visible_text(admin.get(USERS_PAGE))
    assert act(admin, bob_id, "remove-admin").status_code == 302
    assert account(app, "bob")["is_admin"] is False


def test_a_disabled_user_cannot_log_in_and_is_logged_out_and_keeps_comments(app, admin, bob_id):
    bob = WebUser(app.test_client())
    assert bob.login("bob").status_code == 302
    add_comment(app, "Bob was here", commenter_id=bob_id)

    assert act(admin, bob_id, "disable").status_code == 302
    assert account(app, "bob")["is_disabled"] is True
    # Logged out on the next request: the form to post is gone.
    board = bob.get("/").get_data(as_text=True)
    assert 'name="contents"' not in board
    assert "Log in" in board
    refused = WebUser(app.test_client()).login("bob")
    assert refused.status_code == 401
    assert "Incorrect username or password" in visible_text(refused)
    assert "Bob was here Posted at an unknown time by bob" in visible_text(bob.get("/"))

    assert act(admin, bob_id, "enable").status_code == 302
    assert account(app, "bob")["is_disabled"] is False
    assert WebUser(app.test_client()).login("bob").status_code == 302


def test_a_disabled_users_remember_cookie_no_longer_logs_them_in(app, admin, bob_id):
    bob = WebUser(app.test_client())
    remembered = bob.post_form("/login/", {"username": "bob", "password": PASSWORD,
                                           "remember": "y"})
    assert remembered.status_code == 302
    bob.client.delete_cookie("session")
    assert 'name="contents"' in bob.get("/").get_data(as_text=True)
    act(admin, bob_id, "disable")
    bob.client.delete_cookie("session")
    assert 'name="contents"' not in bob.get("/").get_data(as_text=True)


def test_deleting_asks_first_then_keeps_the_comments_as_anonymous(app, admin, bob_id):
    add_comment(app, "Bob's words", commenter_id=bob_id)
    confirm = admin.get(f"/admin/users/{bob_id}/delete")
    assert confirm.status_code == 200
    assert "Delete the account bob?" in visible_text(confirm)
    assert account(app, "bob") is not None

    response = admin.post_form(f"/admin/users/{bob_id}/delete", {},
                               form_page=f"/admin/users/{bob_id}/delete")
    assert response.status_code == 302
    assert account(app, "bob") is None
    with app.app_context():
        assert db.session.scalars(sa.select(Comment.commenter_id)).all() == [None]
    board = visible_text(admin.get("/"))
    assert "Bob's words Posted at an unknown time by Anonymous Coward" in board


@pytest.mark.parametrize("action, refusal", [
    ("remove-admin", "You cannot remove your own administrator rights."),
    ("disable", "You cannot disable your own account."),
    ("delete", "You cannot delete your own account."),
])
def test_administrators_cannot_lock_themselves_out(app, admin, action, refusal):
    response = act(admin, user_id(app, "root"), action)
    assert response.status_code == 403
    assert refusal in visible_text(response)
    assert account(app, "root") == {"is_admin": True, "is_disabled": False}


def test_the_page_offers_no_action_on_ones_own_account(app, admin, bob_id):
    page = admin.get(USERS_PAGE).get_data(as_text=True)
    root = user_id(app, "root")
    for own_action, other_action in [("remove-admin", "make-admin"), ("disable", "disable"),
                                     ("delete", "delete")]:
        assert f"/admin/users/{root}/{own_action}" not in page
        assert f"/admin/users/{bob_id}/{other_action}" in page


@pytest.mark.parametrize("action", ["make-admin", "remove-admin", "disable", "enable", "delete"])
def test_actions_without_a_form_token_are_refused(app, admin, bob_id, action):
    response = admin.client.post(f"/admin/users/{bob_id}/{action}")
    assert response.status_code == 400
    assert account(app, "bob") == {"is_admin": False, "is_disabled": False}


@pytest.mark.parametrize("action", ["make-admin", "disable", "delete"])
def test_acting_on_an_unknown_user_is_not_found(admin, action):
    assert act(admin, 999999, action).status_code == 404


def test_administrators_add_users(app, admin):
    response = admin.post_form(USERS_PAGE, {"username": "carol", "new_password": PASSWORD,
                                            "new_password_again": PASSWORD})
    assert response.status_code == 302
    assert account(app, "carol") == {"is_admin": False, "is_disabled": False}
    assert "Added user carol." in visible_text(admin.get(USERS_PAGE))
    assert WebUser(app.test_client()).login("carol").status_code == 302

    admin.post_form(USERS_PAGE, {"username": "dave", "new_password": PASSWORD,
                                 "new_password_again": PASSWORD, "is_admin": "y"})
    assert account(app, "dave") == {"is_admin": True, "is_disabled": False}


@pytest.mark.parametrize("username, password, again, message", [
    ("bob", PASSWORD, PASSWORD, "The username 'bob' is already taken."),
    ("", PASSWORD, PASSWORD, "Choose a username."),
    ("carol", "short", "short", "at least 8 characters"),
    ("carol", PASSWORD, "something else", "The two passwords differ."),
])
def test_adding_a_user_refuses_bad_input(app, admin, bob_id, username, password, again, message):
    response = admin.post_form(USERS_PAGE, {"username": username, "new_password": password,
                                            "new_password_again": again})
    assert response.status_code == 400
    assert message in visible_text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_administrators_see_a_delete_control_on_every_comment(app, admin, bob_id):
    bobs = add_comment(app, "by bob", commenter_id=bob_id)
    anonymous = add_comment(app, "by nobody")
    page = admin.get("/").get_data(as_text=True)
    assert f"/comments/{bobs}/delete" in page
    assert f"/comments/{anonymous}/delete" in page
