"""``flask users …``."""
import pytest
from argon2 import PasswordHasher

from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import add_comment, visible_text


def get_user(app, username):
    with app.app_context():
        return db.session.scalar(db.select(User).where(User.username == username))


def test_create_prompts_twice_hidden_and_stores_a_salted_hash(app, runner):
    result = runner.invoke(args=["users", "create", "bob"], input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat the password:" in result.output
    assert "s3cret-pass" not in result.output
    bob = get_user(app, "bob")
    assert bob.password_hash.startswith("$argon2id$")
    assert "s3cret-pass" not in bob.password_hash
    assert PasswordHasher().verify(bob.password_hash, "s3cret-pass")
    assert not bob.is_admin


def test_same_password_gets_different_salts(app, runner):
    runner.invoke(args=["users", "create", "bob", "--password-stdin"], input="s3cret-pass\n")
    runner.invoke(args=["users", "create", "amy", "--password-stdin"], input="s3cret-pass\n")
    assert get_user(app, "bob").password_hash != get_user(app, "amy").password_hash


def test_mismatched_prompts_ask_again(app, runner):
    result = runner.invoke(args=["users", "create", "bob"],
                           input="s3cret-pass\nother-pass\ns3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0
    assert get_user(app, "bob") is not None


def test_password_stdin_and_admin(app, runner):
    result = runner.invoke(args=["users", "create", "root", "--admin", "--password-stdin"],
                           input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "Created administrator 'root'." in result.output
    assert get_user(app, "root").is_admin


def test_created_user_can_log_in(app, runner, web):
    runner.invoke(args=["users", "create", "bob", "--password-stdin"], input="s3cret-pass\n")
    assert web.login("bob", "s3cret-pass").status_code == 302


@pytest.mark.parametrize("password, message", [
    ("", "The password must not be empty."),
    ("short", "The password must be at least 8 characters."),
])
def test_bad_passwords_are_refused_with_exit_code_1(app, runner, password, message):
    result = runner.invoke(args=["users", "create", "bob", "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1
    assert message in result.output
    assert get_user(app, "bob") is None


def test_duplicate_username_is_refused_with_exit_code_1(app, runner, make_user):
    make_user("bob")
    result = runner.invoke(args=["users", "create", "bob", "--password-stdin"], input="s3cret-pass\n")
    assert result.exit_code == 1
    assert "The username 'bob' is already taken." in result.output


def test_password_is_not_an_argument(runner):
    result = runner.invoke(args=["users", "create", "bob", "--password", "s3cret-pass"])
    assert result.exit_code == 2


def test_list_shows_users_and_flags(runner, make_user):
    make_user("bob")
    make_user("root", is_admin=True)
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("bob\tcreated ")
    assert lines[1].startswith("root\tcreated ") and lines[1].endswith("admin")


def test_set_password_prompts_and_replaces_the_hash(app, runner, make_user, web):
    make_user("bob")
    result = runner.invoke(args=["users", "set-password", "bob"], input="new-password\nnew-password\n")
    assert result.exit_code == 0, result.output
    assert "new-password" not in result.output
    assert web.login("bob", "new-password").status_code == 302


def test_set_password_for_an_unknown_user_is_exit_code_1(runner):
    result = runner.invoke(args=["users", "set-password", "nobody", "--password-stdin"], input="new-password\n")
    assert result.exit_code == 1
    assert "There is no user 'nobody'." in result.output


def test_set_password_refuses_a_short_password(app, runner, make_user):
    make_user("bob")
    before = get_user(app, "bob").password_hash
    result = runner.invoke(args=["users", "set-password", "bob", "--password-stdin"], input="short\n")
    assert result.exit_code == 1
    assert get_user(app, "bob").password_hash == before


def test_delete_keeps_comments_as_anonymous_coward(app, runner, make_user, client):
    bob = make_user("bob")
    add_comment(app, "still here", None, bob)
    result = runner.invoke(args=["users", "delete", "bob", "--yes"])
    assert result.exit_code == 0, result.output
    assert get_user(app, "bob") is None
    assert "still here Posted at an unknown time by Anonymous Coward" in visible_text(client.get("/"))


def test_delete_asks_for_confirmation(app, runner, make_user):
    make_user("bob")
    result = runner.invoke(args=["users", "delete", "bob"], input="n\n")
    assert result.exit_code == 1
    assert get_user(app, "bob") is not None


def test_delete_unknown_user_is_exit_code_1(runner):
    assert runner.invoke(args=["users", "delete", "nobody", "--yes"]).exit_code == 1


def test_the_last_administrator_cannot_be_deleted(app, runner, make_user):
    make_user("root", is_admin=True)
    result = runner.invoke(args=["users", "delete", "root", "--yes"])
    assert result.exit_code == 1
    assert "last administrator" in result.output
    assert get_user(app, "root") is not None


def test_an_administrator_can_be_deleted_while_another_remains(app, runner, make_user):
    make_user("root", is_admin=True)
    make_user("second", is_admin=True)
    result = runner.invoke(args=["users", "delete", "root", "--yes"])
    assert result.exit_code == 0, result.output
    assert get_user(app, "root") is None
