"""Usernames: unique ignoring case and width with the same answer on every
engine, NFKC-normalised, without invisible or direction-changing characters
or spaces at either end; and the login limit counts one account's name once."""
import pytest
import sqlalchemy as sa

from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import PASSWORD, WebUser, assert_refused_as_a_new_name, usernames

pytestmark = pytest.mark.engines

LOOK_ALIKES = [
    ("admin\u200b", "invisible or direction-changing"),  # zero-width space
    ("\u202eadmin", "invisible or direction-changing"),  # right-to-left override
    ("ad\u2060min", "invisible or direction-changing"),  # word joiner
    ("Admin", "already taken"),
    ("ADMIN", "already taken"),
    ("\uff41\uff44\uff4d\uff49\uff4e", "already taken"),  # fullwidth "admin"
    (" admin", "must not begin or end with a space"),
    ("admin ", "must not begin or end with a space"),
    ("admin\u00a0", "must not begin or end with a space"),  # NFKC makes it a space
]


@pytest.mark.parametrize("username, message", LOOK_ALIKES)
def test_look_alike_names_are_refused_everywhere(app, make_user, runner, username, message):
    make_user("admin", is_admin=True)
    assert_refused_as_a_new_name(app, runner, username, message)


def test_bob_beside_bob_is_refused_on_every_engine(app, make_user):
    make_user("bob")
    with app.app_context(), pytest.raises(service.AccountError, match="already taken"):
        service.create_user("Bob", PASSWORD)
    assert usernames(app) == ["bob"]


def test_the_database_refuses_names_differing_only_in_case(app, make_user):
    """The unique key holds even for a writer that skips the service's check."""
    make_user("bob")
    with app.app_context():
        db.session.add(User(username="BOB", username_key="bob", password_hash="!"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_names_differing_in_accents_are_different_names_on_every_engine(app, make_user):
    """MySQL's utf8mb4_unicode_ci would call these equal; the key does not."""
    make_user("josé")
    make_user("jose")
    assert usernames(app) == ["jose", "josé"]


def test_names_are_stored_nfkc_normalised(app, make_user):
    make_user("\ufb01ona")  # the "fi" ligature
    assert usernames(app) == ["fiona"]
    assert WebUser(app.test_client()).login("fiona").status_code == 302


def test_one_logs_in_with_the_name_as_spelt(app, make_user):
    make_user("bob")
    assert WebUser(app.test_client()).login("Bob").status_code == 401
    assert WebUser(app.test_client()).login("bob").status_code == 302


def test_rename_changes_the_name_and_keeps_the_rest(app, runner, make_user):
    make_user("bob")
    result = runner.invoke(args=["users", "rename", "bob", "robert"])
    assert result.exit_code == 0, result.output
    assert usernames(app) == ["robert"]
    assert WebUser(app.test_client()).login("robert").status_code == 302
    make_user("alice")
    taken = runner.invoke(args=["users", "rename", "robert", "ALICE"])
    assert taken.exit_code == 1
    assert "already taken" in taken.output
    assert runner.invoke(args=["users", "rename", "robert", "Robert"]).exit_code == 0
    assert usernames(app) == ["Robert", "alice"]

