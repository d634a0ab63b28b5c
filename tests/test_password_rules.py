"""The password rule, wherever a password is set (the command line, the
setup page, the users page, the account page): not one of the 10,000
commonest passwords, not containing the username; and passwords compared
after Unicode NFC normalisation."""
import unicodedata

import pytest

from scratchpad.accounts.first_run import setup_token
from scratchpad.accounts.passwords import common_passwords, password_problem

from .helpers import PASSWORD, WebUser, visible_text

COMMON = ["12345678", "password1", "qwertyuiop", "Password1", "iloveyou"]
COMMON_MESSAGE = "one of the 10,000 most common"
NAME_MESSAGE = "must not contain the username"


def test_the_list_holds_the_10000_commonest_passwords():
    assert len(common_passwords()) == 10000
    assert {"123456", "password", "12345678", "qwerty", "password1"} <= common_passwords()


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_saying_why(password):
    assert COMMON_MESSAGE in password_problem(password)


@pytest.mark.parametrize("username, password", [
    ("bobby", "bobby2024!"), ("Bobby", "my BOBBY pass"), ("carol", "carolcarol"),
])
def test_a_password_containing_the_username_is_refused(username, password):
    assert NAME_MESSAGE in password_problem(password, username)


def test_a_good_password_is_accepted():
    assert password_problem(PASSWORD, "bob") is None


def create_on_the_command_line(runner, username, password):
    return runner.invoke(args=["users", "create", username, "--password-stdin"],
                         input=password + "\n")


@pytest.mark.parametrize("password, message", [*((p, COMMON_MESSAGE) for p in COMMON),
                                               ("daveisme!", NAME_MESSAGE)])
def test_the_command_line_refuses_them(app, runner, password, message):
    result = create_on_the_command_line(runner, "dave", password)
    assert result.exit_code == 1
    assert message in result.output


def test_set_password_on_the_command_line_refuses_a_common_one(app, runner, make_user):
    make_user("dave")
    result = runner.invoke(args=["users", "set-password", "dave", "--password-stdin"],
                           input="qwertyuiop\n")
    assert result.exit_code == 1
    assert COMMON_MESSAGE in result.output
    assert WebUser(app.test_client()).login("dave").status_code == 302


@pytest.mark.parametrize("username, password, message", [
    ("root", "12345678", COMMON_MESSAGE), ("root", "password1", COMMON_MESSAGE),
    ("root", "rootroot", NAME_MESSAGE),
])
def test_the_setup_page_refuses_them(app, client, username, password, message):
    with app.app_context():
        path = f"/setup/{setup_token()}"
    web = WebUser(client)
    response = web.post_form(path, {"username": username, "new_password": password,
                                    "new_password_again": password})
    assert response.status_code == 400
    assert message in visible_text(response)
    assert client.get(path).status_code == 200  # still no account


@pytest.mark.parametrize("username, password, message", [
    ("erin", "qwertyuiop", COMMON_MESSAGE), ("erin", "ErinErin", NAME_MESSAGE),
])
def test_the_users_page_refuses_them(app, make_user, username, password, message):
    make_user("admin", is_admin=True)
    admin = WebUser(app.test_client())
    admin.login("admin")
    response = admin.post_form("/admin/users/", {"username": username, "new_password": password,
                                                 "new_password_again": password})
    assert response.status_code == 400
    assert message in visible_text(response)
    assert WebUser(app.test_client()).login(username, password).status_code == 401


@pytest.mark.parametrize("password, message", [("password1", COMMON_MESSAGE),
                                               ("xbobx-secret", NAME_MESSAGE)])
def test_the_account_page_refuses_them(app, web, make_user, password, message):
    make_user("bob")
    web.login()
    response = web.post_form("/account/", {"current_password": PASSWORD, "new_password": password,
                                           "new_password_again": password})
    assert response.status_code == 400
    assert message in visible_text(response)
    assert WebUser(app.test_client()).login("bob", PASSWORD).status_code == 302


def test_a_password_is_the_same_however_its_accents_were_typed(app, make_user):
    composed = "café crème brûlée"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    make_user("bob", password=composed)
    assert WebUser(app.test_client()).login("bob", decomposed).status_code == 302
    make_user("alice", password=decomposed)
    assert WebUser(app.test_client()).login("alice", composed).status_code == 302
