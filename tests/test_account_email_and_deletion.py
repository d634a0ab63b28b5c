"""The account page: changing one's email address (current password, then a
confirmation mail to the new address) and deleting one's own account."""
import pytest
import sqlalchemy as sa

from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import (PASSWORD, WebUser, add_comment, all_comments, is_logged_in, link_in,
                      visible_text)

pytestmark = pytest.mark.engines


def user_row(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        return None if user is None else (user.email, user.email_verified_at is not None)


@pytest.fixture
def carol_web(mail_app):
    with mail_app.app_context():
        service.create_user("carol", PASSWORD)
    web = WebUser(mail_app.test_client())
    web.login("carol")
    return web


def change_email(web, address, password=PASSWORD):
    return web.post_form("/account/email", {"email": address, "current_password": password})


def test_the_email_changes_once_the_new_address_is_confirmed(mail_app, smtp_server, carol_web):
    assert "Change your email address" in visible_text(carol_web.get("/account/"))
    response = change_email(carol_web, "Carol@Example.org")
    assert response.status_code == 302
    assert user_row(mail_app, "carol") == (None, False)
    path = link_in(smtp_server.to("carol@example.org")[0])
    carol_web.post_form(path, {}, form_page=path)
    assert user_row(mail_app, "carol") == ("carol@example.org", True)

    change_email(carol_web, "new@example.org")
    assert user_row(mail_app, "carol") == ("carol@example.org", True)  # until confirmed
    assert carol_web.post_comment("Still allowed to post").status_code == 302
    path = link_in(smtp_server.to("new@example.org")[0])
    carol_web.post_form(path, {}, form_page=path)
    assert user_row(mail_app, "carol") == ("new@example.org", True)


def test_changing_the_email_needs_the_current_password(mail_app, smtp_server, carol_web):
    response = change_email(carol_web, "carol@example.org", "not my password")
    assert response.status_code == 400
    assert "That is not your current password." in visible_text(response)
    assert smtp_server.mails == []
    assert user_row(mail_app, "carol") == (None, False)


def test_an_address_of_another_account_cannot_be_taken(mail_app, smtp_server, carol_web):
    with mail_app.app_context():
        service.create_user("dave", PASSWORD, email="dave@example.org")
    response = change_email(carol_web, "dave@example.org")
    assert response.status_code == 400
    assert "Another account has that address." in visible_text(response)
    assert smtp_server.mails == []


def test_an_altered_confirmation_link_changes_nothing(mail_app, smtp_server, carol_web):
    change_email(carol_web, "carol@example.org")
    path = link_in(smtp_server.to("carol@example.org")[0])
    altered = path[:-1] + ("A" if path[-1] != "A" else "B")
    assert carol_web.get(altered).status_code == 404
    assert carol_web.post_form(altered, {}, form_page="/account/").status_code == 404
    assert user_row(mail_app, "carol") == (None, False)


def test_without_mail_there_is_no_email_page(app, web, make_user):
    make_user("bob")
    web.login("bob")
    assert "Change your email address" not in visible_text(web.get("/account/"))
    assert web.get("/account/email").status_code == 404


def test_deleting_my_account_keeps_my_comments(app, web, make_user):
    bob = make_user("bob")
    make_user("admin", is_admin=True)
    add_comment(app, "Bob was here", commenter_id=bob)
    web.login("bob")
    assert "Delete my account" in visible_text(web.get("/account/"))

    wrong = web.post_form("/account/delete", {"password": "not it"})
    assert wrong.status_code == 400
    assert "That is not your password." in visible_text(wrong)
    assert user_row(app, "bob") is not None

    response = web.post_form("/account/delete", {"password": PASSWORD}, follow_redirects=True)
    assert "The account bob has been deleted." in visible_text(response)
    assert user_row(app, "bob") is None
    assert not is_logged_in(web)
    assert [(content, commenter) for _, content, _, commenter in all_comments(app)] == [
        ("Bob was here", None)]
    assert "by Anonymous Coward" in visible_text(web.get("/"))


def test_the_last_administrator_cannot_delete_their_account(app, web, make_user):
    make_user("admin", is_admin=True)
    web.login("admin")
    assert "You are the site's last administrator" in visible_text(web.get("/account/delete"))
    response = web.post_form("/account/delete", {"password": PASSWORD})
    assert response.status_code == 400
    assert "You are the last administrator" in visible_text(response)
    assert user_row(app, "admin") is not None
    assert is_logged_in(web)


def test_deleting_needs_a_logged_in_user(app, web):
    response = web.get("/account/delete")
    assert response.status_code == 302
    assert response.location.startswith("/login/")


def test_an_account_with_tokens_and_invitations_can_be_deleted(mail_app, smtp_server):
    from scratchpad.accounts import invitations, tokens
    from scratchpad.models import AccountToken, Invitation
    with mail_app.app_context():
        service.create_user("admin", PASSWORD, is_admin=True)
        carol = service.create_user("carol", PASSWORD, is_admin=True, email="carol@example.org")
        tokens.issue(carol, tokens.RESET_PASSWORD)
        invitations.create_invitation(carol, "made by carol")
    web = WebUser(mail_app.test_client())
    web.login("carol")
    response = web.post_form("/account/delete", {"password": PASSWORD})
    assert response.status_code == 302
    assert user_row(mail_app, "carol") is None
    with mail_app.app_context():
        invitation = db.session.scalar(sa.select(Invitation))
        assert invitation.note == "made by carol" and invitation.created_by is None
        assert [token.user for token in db.session.scalars(sa.select(AccountToken))] in ([], [None])
