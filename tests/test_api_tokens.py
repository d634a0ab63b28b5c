"""Personal access tokens for the API: made on the account page and shown
once, stored only as a hash, listed with their last use, revoked there; a
password change, disabling and deleting the account end them; expired and
revoked tokens get 401; cookies never open the API, and a token never opens
the site's pages."""
import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scratchpad.extensions import db
from scratchpad.models import ApiToken, User, utc_now

from .helpers import (PASSWORD, ApiCaller, WebUser, api_token, csrf_token, newest_comment_id,
                      visible_text)

TOKEN = re.compile(r"scratchpad_pat_[A-Za-z0-9_-]{43}")
NEW_PASSWORD = "a different horse battery"


def make_token_on_account_page(web, name="backup script", lifetime="30"):
    page = web.post_form("/account/tokens/new", {"name": name, "lifetime": lifetime})
    assert page.status_code == 200, page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    return TOKEN.search(page.get_data(as_text=True)).group(0)


def stored_tokens(app):
    with app.app_context():
        return [(row.name, row.token_hash, row.expires, row.last_used)
                for row in db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id))]


def answers(app, token):
    """The status a request with the token gets from the API."""
    return ApiCaller(app.test_client(), token).get("/comments").status_code


def test_a_token_made_on_the_account_page_is_shown_once_and_stored_as_a_hash(app, bob):
    token = make_token_on_account_page(bob, "backup script", "30")
    assert answers(app, token) == 200

    [(name, token_hash, expires, last_used)] = stored_tokens(app)
    assert name == "backup script"
    assert token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert abs(expires - (utc_now() + timedelta(days=30))) < timedelta(minutes=1)
    assert last_used is not None
    with app.app_context():  # the token itself is nowhere in the database
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                assert token not in " ".join(str(value) for value in row)

    account = bob.get("/account/")
    text = visible_text(account)
    assert "backup script Made" in text
    assert "last used" in text
    assert token not in account.get_data(as_text=True)


def test_tokens_are_listed_with_their_expiry_and_last_use(app, bob):
    make_token_on_account_page(bob, "never ending", "never")
    text = visible_text(bob.get("/account/"))
    assert "never ending Made" in text
    assert "never expires; never used" in text
    assert stored_tokens(app)[0][2] is None


@pytest.mark.parametrize("form, message", [
    ({"name": "   ", "lifetime": "30"}, "Give the token a name"),
    ({"name": "x" * 101, "lifetime": "30"}, "at most 100 characters"),
    ({"name": "fine", "lifetime": "forever"}, "Not a valid choice"),
])
def test_a_token_needs_a_name_and_a_listed_lifetime(app, bob, form, message):
    page = bob.post_form("/account/tokens/new", form)
    assert page.status_code == 400
    assert message in visible_text(page)
    assert stored_tokens(app) == []


def test_making_a_token_needs_a_login_and_the_form_token(app, bob, client):
    assert client.get("/account/tokens/new").status_code == 302
    refused = bob.client.post("/account/tokens/new", data={"name": "x", "lifetime": "30"})
    assert refused.status_code == 400
    assert stored_tokens(app) == []


def test_a_remembered_session_confirms_the_password_before_making_a_token(app, make_user):
    make_user("bob")
    web = WebUser(app.test_client())
    web.post_form("/login/", {"username": "bob", "password": PASSWORD, "remember": "y"})
    remembered = WebUser(app.test_client())
    remembered.client.set_cookie("remember_token", web.client.get_cookie("remember_token").value)
    answer = remembered.get("/account/tokens/new")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/reauthenticate/")


def test_a_revoked_token_gets_401_at_once(app, bob):
    kept = make_token_on_account_page(bob, "kept")
    revoked = make_token_on_account_page(bob, "revoked")
    [revoked_id] = [row_id for row_id, name in token_ids(app) if name == "revoked"]
    answer = bob.post_form(f"/account/tokens/{revoked_id}/revoke", {}, form_page="/account/")
    assert answer.status_code == 302
    assert "The token “revoked” has been revoked" in visible_text(bob.get("/account/"))

    refused = ApiCaller(app.test_client(), revoked).get("/comments")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == (
        'Bearer realm="Scratchpad API", error=invalid_token')
    assert "revoked" in refused.data_json["message"]
    assert answers(app, kept) == 200


def test_nobody_revokes_someone_elses_token(app, bob, make_user):
    make_user("alice")
    alices = api_token(app, user_id_of(app, "alice"))
    [(alices_id, _)] = token_ids(app)
    answer = bob.post_form(f"/account/tokens/{alices_id}/revoke", {}, form_page="/account/")
    assert answer.status_code == 404
    assert answers(app, alices) == 200
    assert bob.client.post(f"/account/tokens/{alices_id}/revoke").status_code == 400  # no CSRF


def test_an_expired_token_gets_401_saying_so(app, bob):
    token = make_token_on_account_page(bob, "short", "7")
    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(expires=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    refused = ApiCaller(app.test_client(), token).get("/comments")
    assert refused.status_code == 401
    assert refused.data_json["message"].startswith("The access token has expired.")
    assert "expired" in visible_text(bob.get("/account/"))


def change_password_on_account_page(app, web):
    answer = web.post_form("/account/", {"current_password": PASSWORD,
                                         "new_password": NEW_PASSWORD,
                                         "new_password_again": NEW_PASSWORD})
    assert answer.status_code == 302


def change_password_on_the_command_line(app, web):
    result = app.test_cli_runner().invoke(args=["users", "set-password", "bob",
                                                "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def disable_on_the_users_page(app, web):
    admin = WebUser(app.test_client())
    assert admin.login("root").status_code == 302
    answer = admin.post_form(f"/admin/users/{user_id_of(app, 'bob')}/disable", {},
                             form_page="/admin/users/")
    assert answer.status_code == 302


def delete_on_the_account_page(app, web):
    answer = web.post_form("/account/delete", {"password": PASSWORD})
    assert answer.status_code == 302


@pytest.mark.parametrize("ending", [change_password_on_account_page,
                                    change_password_on_the_command_line,
                                    disable_on_the_users_page, delete_on_the_account_page])
def test_a_new_password_disabling_and_deleting_end_every_token(app, bob, make_user, ending):
    make_user("root", is_admin=True)
    make_user("alice")
    tokens = [make_token_on_account_page(bob, name) for name in ("one", "two")]
    alices = api_token(app, user_id_of(app, "alice"))
    assert [answers(app, token) for token in tokens] == [200, 200]

    ending(app, bob)

    assert [answers(app, token) for token in tokens] == [401, 401]
    assert [name for name, *_ in stored_tokens(app)] == ["test token"]  # alice's
    assert answers(app, alices) == 200


def test_a_disabled_accounts_token_fails_by_its_own_check_when_its_row_comes_back(app, bob,
                                                                                make_user):
    """Disabling deletes the tokens; a restore or an SQL statement can put a
    row back, and the token must still not let the disabled account in."""
    make_user("root", is_admin=True)
    token = make_token_on_account_page(bob)
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        kept = {column.name: getattr(row, column.name) for column in ApiToken.__table__.columns}
    disable_on_the_users_page(app, bob)
    assert stored_tokens(app) == []
    with app.app_context():
        db.session.execute(sa.insert(ApiToken).values(**kept))
        db.session.commit()

    answer = ApiCaller(app.test_client(), token).get("/comments")
    assert answer.status_code == 401
    assert "disabled" in answer.data_json["message"]
    with app.app_context():
        db.session.execute(sa.update(User).where(User.username == "bob").values(is_disabled=False))
        db.session.commit()
    assert answers(app, token) == 200


def test_a_session_cookie_alone_gets_401_and_no_cookie(app, bob):
    assert bob.client.get_cookie("session") is not None
    answer = ApiCaller(bob.client).get("/comments")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="Scratchpad API"'
    assert "Set-Cookie" not in answer.headers
    assert bob.get("/account/").status_code == 200  # the cookie still works on the site


def test_a_remember_me_cookie_alone_gets_401(app, make_user):
    make_user("bob")
    web = WebUser(app.test_client())
    web.post_form("/login/", {"username": "bob", "password": PASSWORD, "remember": "y"})
    remembered = app.test_client()
    remembered.set_cookie("remember_token", web.client.get_cookie("remember_token").value)
    answer = ApiCaller(remembered).get("/comments")
    assert answer.status_code == 401
    assert "Set-Cookie" not in answer.headers


def test_posting_with_a_cookie_and_no_token_changes_nothing(app, bob):
    answer = ApiCaller(bob.client).post("/comments", json={"content": "Forged"},
                                        headers={"X-CSRFToken": csrf_token(bob.client, "/")})
    assert answer.status_code == 401
    assert newest_comment_id(app) is None


def test_a_token_does_not_open_the_sites_pages(app, bob, client):
    token = make_token_on_account_page(bob)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/account/", headers=bearer).status_code == 302  # to the login page
    assert client.post("/", data={"contents": "Sneaky"}, headers=bearer).status_code in (302, 400)
    assert newest_comment_id(app) is None


@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer ", "Basic Ym9iOnBhc3N3b3Jk", "Token scratchpad_pat_x",
    "Bearer scratchpad_pat_" + "A" * 43, "Bearer not-a-token", "Bearer a=b",
])
def test_missing_malformed_and_unknown_tokens_get_401(client, header):
    headers = {"Authorization": header} if header else {}
    answer = ApiCaller(client).get("/comments", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith('Bearer realm="Scratchpad API"')
    assert answer.data_json["error"] == "unauthorized"


def user_id_of(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def token_ids(app):
    with app.app_context():
        return db.session.execute(sa.select(ApiToken.id, ApiToken.name)
                                  .order_by(ApiToken.id)).all()


def test_a_board_restored_over_this_one_ends_every_token(app, bob, tmp_path):
    """Even one whose accounts have the same ids: SQLite does not enforce the
    foreign keys that would delete the tokens with the accounts replaced."""
    token = make_token_on_account_page(bob)
    backup = tmp_path / "board.jsonl"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["export", str(backup)]).exit_code == 0
    result = runner.invoke(args=["restore", "--replace", str(backup)])
    assert result.exit_code == 0, result.output
    assert answers(app, token) == 401
    assert stored_tokens(app) == []
