"""Getting back in: a reset link by mail (neutral about unknown addresses),
or from an administrator when the site sends no mail. Each link works once,
within its time, only for the password it was made for, and ends every
session of the account."""
import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scratchpad.accounts import service
from support.site_processes import free_port
from scratchpad.extensions import db
from scratchpad.models import AccountToken, User, utc_now

from .helpers import (PASSWORD, WebUser, csrf_token, is_logged_in, link_in, token_of,
                      visible_text, wait_until)

NEW_PASSWORD = "my brand new password"
NEUTRAL = "If an account has that address, we have sent it a link"


@pytest.fixture
def carol(mail_app):
    with mail_app.app_context():
        return service.create_user("carol", PASSWORD, email="carol@example.org").id


def password_hash(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).password_hash


def ask_for_reset(web, address):
    return web.post_form("/reset-password/", {"email": address}, follow_redirects=True)


def new_password(web, path, password=NEW_PASSWORD, form_page="/login/"):
    return web.post_form(path, {"new_password": password, "new_password_again": password},
                         form_page=form_page)


def test_the_login_page_leads_to_the_reset_page(web):
    html = web.get("/login/").get_data(as_text=True)
    assert '<a href="/reset-password/">Forgot your password?</a>' in html


def test_a_reset_by_mail_ends_every_session(mail_app, smtp_server, carol):
    elsewhere = WebUser(mail_app.test_client())
    assert elsewhere.login("carol").status_code == 302
    web = WebUser(mail_app.test_client())
    response = ask_for_reset(web, " Carol@Example.org ")
    assert NEUTRAL in visible_text(response)

    [mail] = smtp_server.wait_for("carol@example.org")
    assert mail["Subject"] == "Choose a new password"
    path = link_in(mail)
    assert path.startswith("/reset-password/")
    page = web.get(path)
    assert "Choose a new password for carol" in visible_text(page)
    response = new_password(web, path, form_page=path)
    assert response.status_code == 302 and response.location == "/login/"
    assert not is_logged_in(elsewhere)
    assert web.login("carol", PASSWORD).status_code == 401
    assert web.login("carol", NEW_PASSWORD).status_code == 302
    with mail_app.app_context():
        assert db.session.get(User, carol).email_verified_at is not None  # the mail arrived

    # Used: the link is dead, and the password stays.
    before = password_hash(mail_app, carol)
    stranger = WebUser(mail_app.test_client())
    assert stranger.get(path).status_code == 404
    assert new_password(stranger, path, "yet another password").status_code == 404
    assert password_hash(mail_app, carol) == before


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_app, smtp_server, carol):
    web = WebUser(mail_app.test_client())
    response = ask_for_reset(web, "nobody@example.org")
    assert response.status_code == 200
    assert NEUTRAL in visible_text(response)
    assert smtp_server.mails == []
    with mail_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AccountToken.id))) == 0


def test_a_disabled_account_gets_no_link(mail_app, smtp_server, carol):
    with mail_app.app_context():
        service.set_disabled(db.session.get(User, carol), True)
    assert NEUTRAL in visible_text(ask_for_reset(WebUser(mail_app.test_client()),
                                                 "carol@example.org"))
    assert smtp_server.mails == []


def test_a_bad_address_is_a_form_error(mail_app, smtp_server):
    response = WebUser(mail_app.test_client()).post_form("/reset-password/", {"email": "carol"})
    assert response.status_code == 400
    assert "Enter an email address such as name@example.org." in visible_text(response)


def test_a_reset_link_expires_after_an_hour(mail_app, smtp_server, carol):
    web = WebUser(mail_app.test_client())
    ask_for_reset(web, "carol@example.org")
    path = link_in(smtp_server.wait_for("carol@example.org")[0])
    with mail_app.app_context():
        token = db.session.scalar(sa.select(AccountToken))
        assert timedelta(minutes=59) < token.expires - token.created <= timedelta(hours=1)
        token.expires = utc_now() - timedelta(seconds=1)
        db.session.commit()
    before = password_hash(mail_app, carol)
    response = web.get(path)
    assert response.status_code == 404
    assert "has expired" in visible_text(response)
    assert new_password(web, path).status_code == 404
    assert password_hash(mail_app, carol) == before


def test_a_reset_link_dies_when_the_password_changes(mail_app, smtp_server, carol):
    web = WebUser(mail_app.test_client())
    ask_for_reset(web, "carol@example.org")
    path = link_in(smtp_server.wait_for("carol@example.org")[0])
    with mail_app.app_context():
        service.change_password(db.session.get(User, carol), "changed some other way")
    before = password_hash(mail_app, carol)
    assert web.get(path).status_code == 404
    assert new_password(web, path).status_code == 404
    assert password_hash(mail_app, carol) == before


@pytest.mark.parametrize("alter", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: token[:20],
    lambda token: token.upper(),
    lambda token: "-" * 59,
])
def test_an_altered_reset_link_is_refused(mail_app, smtp_server, carol, alter):
    web = WebUser(mail_app.test_client())
    ask_for_reset(web, "carol@example.org")
    token = token_of(link_in(smtp_server.wait_for("carol@example.org")[0]))
    before = password_hash(mail_app, carol)
    path = f"/reset-password/{alter(token)}"
    assert web.get(path).status_code == 404
    assert new_password(web, path).status_code == 404
    assert password_hash(mail_app, carol) == before


def test_the_tokens_are_kept_only_as_hashes(mail_app, smtp_server, carol):
    ask_for_reset(WebUser(mail_app.test_client()), "carol@example.org")
    token = token_of(link_in(smtp_server.wait_for("carol@example.org")[0]))
    with mail_app.app_context():
        stored = db.session.scalar(sa.select(AccountToken))
        assert token not in (stored.selector, stored.token_hash)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_a_weak_new_password_keeps_the_link(mail_app, smtp_server, carol):
    web = WebUser(mail_app.test_client())
    ask_for_reset(web, "carol@example.org")
    path = link_in(smtp_server.wait_for("carol@example.org")[0])
    response = new_password(web, path, "short")
    assert response.status_code == 400
    assert "at least 8 characters" in visible_text(response)
    assert new_password(web, path).status_code == 302


def test_the_reset_link_never_reaches_the_log(mail_app, smtp_server, carol, caplog):
    web = WebUser(mail_app.test_client())
    ask_for_reset(web, "carol@example.org")
    path = link_in(smtp_server.wait_for("carol@example.org")[0])
    new_password(web, path)
    web.get(path)  # a 404, which is logged
    assert "GET /reset-password/[token] 404" in caplog.text
    assert token_of(path) not in caplog.text


def test_a_mail_server_that_is_down_gets_the_same_answer(mail_app, smtp_server, carol, caplog):
    mail_app.config["MAIL_PORT"] = free_port()  # nothing listens there
    web = WebUser(mail_app.test_client())
    response = ask_for_reset(web, "carol@example.org")
    assert response.status_code == 200
    assert NEUTRAL in visible_text(response)
    assert wait_until(lambda: "Could not send the 'reset_password' mail" in caplog.text)


# Without email: an administrator hands out the link.

def test_without_mail_the_page_says_to_ask_an_administrator(web):
    page = web.get("/reset-password/")
    assert page.status_code == 200
    assert "ask an administrator" in visible_text(page)
    assert 'name="email"' not in page.get_data(as_text=True)


def test_an_administrator_makes_a_reset_link_on_the_users_page(app, web, make_user):
    make_user("admin", is_admin=True)
    bob = make_user("bob")
    bobs_session = WebUser(app.test_client())
    bobs_session.login("bob")
    web.login("admin")
    page = web.post_form(f"/admin/users/{bob}/reset-link", {}, form_page="/account/")
    assert page.status_code == 200
    assert "A password reset link for bob" in visible_text(page)
    [link] = re.findall(r'value="http://localhost(/reset-password/[^"]+)"',
                                      page.get_data(as_text=True))
    guest = WebUser(app.test_client())
    assert new_password(guest, link).status_code == 302
    assert not is_logged_in(bobs_session)
    assert guest.login("bob", NEW_PASSWORD).status_code == 302
    assert new_password(WebUser(app.test_client()), link).status_code == 404


def test_only_administrators_make_reset_links(app, web, make_user):
    admin = make_user("admin", is_admin=True)
    make_user("bob")
    web.login("bob")
    response = web.client.post(f"/admin/users/{admin}/reset-link",
                               data={"csrf_token": csrf_token(web.client, "/account/")})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AccountToken.id))) == 0


def test_reset_link_command(app, runner, make_user):
    make_user("bob")
    result = runner.invoke(args=["users", "reset-link", "bob"])
    assert result.exit_code == 0, result.output
    path = result.stdout.splitlines()[0]
    assert path.startswith("/reset-password/")
    assert "works once, within 24 hours" in result.stderr
    guest = WebUser(app.test_client())
    assert new_password(guest, path).status_code == 302
    assert guest.login("bob", NEW_PASSWORD).status_code == 302

    missing = runner.invoke(args=["users", "reset-link", "nobody"])
    assert missing.exit_code == 1
    assert "There is no user 'nobody'." in missing.output


def test_reset_link_command_uses_the_public_url(mail_app, carol):
    result = mail_app.test_cli_runner().invoke(args=["users", "reset-link", "carol"])
    assert result.exit_code == 0
    assert result.stdout.startswith("http://board.example.test/reset-password/")
