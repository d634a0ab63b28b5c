"""Joining as the registration policy allows: closed (the default), by
invitation, or open, with the sign-up page's checks, its honeypot, and an
email address to confirm before posting when the site sends mail."""
import pytest
import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import SiteSetting, User
from scratchpad.site.settings import change_site_setting

from .helpers import (PASSWORD, WebUser, all_comments, csrf_token, is_logged_in, link_in,
                      visible_text)

NEW_PASSWORD = "a long enough password"


def set_policy(app, policy):
    with app.app_context():
        change_site_setting("REGISTRATION", policy)


def usernames(app):
    with app.app_context():
        return db.session.scalars(sa.select(User.username).order_by(User.id)).all()


def sign_up_data(username="carol", password=NEW_PASSWORD, **extra):
    return {"username": username, "new_password": password, "new_password_again": password,
            **extra}


def test_sign_up_is_closed_by_default(app, web):
    assert web.get("/signup/").status_code == 404
    response = web.client.post("/signup/", data=sign_up_data())
    assert response.status_code in (400, 404)
    assert "Sign up" not in visible_text(web.get("/login/"))
    assert usernames(app) == []


@pytest.mark.parametrize("policy", ["closed", "invite"])
def test_sign_up_page_is_not_found_unless_open(app, web, policy):
    set_policy(app, policy)
    response = web.get("/signup/")
    assert response.status_code == 404
    assert "does not take sign-ups" in visible_text(response)


def test_open_sign_up_creates_an_account_and_logs_in(app, web):
    set_policy(app, "open")
    login_page = web.get("/login/")
    assert 'href="/signup/"' in login_page.get_data(as_text=True)
    page = web.get("/signup/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<label class="form-label" for="username">Username</label>' in html
    assert 'class="signup-extra"' in html and "style=" not in html
    assert 'name="email"' not in html  # the site sends no mail, so no address is asked for

    response = web.post_form("/signup/", sign_up_data(), form_page="/signup/",
                             follow_redirects=True)
    assert "Welcome, carol: your account has been created." in visible_text(response)
    assert is_logged_in(web)
    assert web.post_comment("Hello, I am new.").status_code == 302
    assert [content for _, content, _, _ in all_comments(app)] == ["Hello, I am new."]
    web.logout()
    assert web.login("carol", NEW_PASSWORD).status_code == 302


def test_config_default_policy_is_overridden_by_the_administrators_choice(database, app):
    configured = create_app({"TESTING": True, "DATABASE_URL": database.url,
                             "SECRET_KEY": "x" * 32, "REGISTRATION": "open"})
    try:
        web = WebUser(configured.test_client())
        assert web.get("/signup/").status_code == 200
        set_policy(app, "closed")
        assert web.get("/signup/").status_code == 404
    finally:
        with configured.app_context():
            db.engine.dispose()


def test_an_unknown_policy_setting_is_refused_at_start(database):
    with pytest.raises(ValueError, match="REGISTRATION must be one of closed, invite, open"):
        create_app({"DATABASE_URL": database.url, "SECRET_KEY": "x" * 32,
                    "REGISTRATION": "Open"})


def test_administrator_changes_the_policy_on_the_settings_page(app, web, make_user):
    make_user("admin", is_admin=True)
    web.login("admin")
    page = web.get("/admin/settings/")
    assert page.status_code == 200
    assert "Closed: only administrators create accounts" in visible_text(page)
    response = web.post_form("/admin/settings/", {"policy": "open"}, follow_redirects=True)
    assert "Registration: Open: anyone can sign up." in visible_text(response)
    with app.app_context():
        assert db.session.get(SiteSetting, "REGISTRATION").value == "open"
    assert WebUser(app.test_client()).get("/signup/").status_code == 200

    refused = web.post_form("/admin/settings/", {"policy": "everyone"})
    assert refused.status_code == 400
    assert "Not a valid choice" in visible_text(refused)
    with app.app_context():
        assert db.session.get(SiteSetting, "REGISTRATION").value == "open"


def test_only_administrators_reach_the_settings_page(app, web, make_user):
    make_user("bob")
    web.login("bob")
    assert web.get("/admin/settings/").status_code == 403
    assert web.client.post("/admin/settings/", data={"policy": "open"}).status_code in (400, 403)
    set_policy(app, "closed")
    assert WebUser(app.test_client()).get("/signup/").status_code == 404


def test_a_name_taken_in_another_letter_case_is_refused(app, web, make_user):
    make_user("bob")
    set_policy(app, "open")
    for name in ("bob", "BOB", "Bob"):
        response = web.post_form("/signup/", sign_up_data(name), form_page="/signup/")
        assert response.status_code == 400
        assert f"The username '{name}' is already taken." in visible_text(response)
    assert usernames(app) == ["bob"]


@pytest.mark.parametrize("password, message", [
    ("letmein", "The password must be at least 8 characters."),
    ("", "This field is required."),
])
def test_a_weak_password_is_refused(app, web, password, message):
    set_policy(app, "open")
    response = web.post_form("/signup/", sign_up_data(password=password), form_page="/signup/")
    assert response.status_code == 400
    assert message in visible_text(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert usernames(app) == []


def test_passwords_that_differ_are_refused(app, web):
    set_policy(app, "open")
    data = sign_up_data()
    data["new_password_again"] = "something else entirely"
    response = web.post_form("/signup/", data, form_page="/signup/")
    assert response.status_code == 400
    assert "The two passwords differ." in visible_text(response)
    assert usernames(app) == []


def test_the_honeypot_field_stops_robots(app, web):
    set_policy(app, "open")
    response = web.post_form("/signup/", sign_up_data(website="http://spam.example"),
                             form_page="/signup/")
    assert response.status_code == 400
    assert usernames(app) == []


def test_a_five_mebibyte_sign_up_is_refused(app, web):
    set_policy(app, "open")
    response = web.post_form("/signup/", sign_up_data("x" * (5 * 1024 * 1024)),
                             form_page="/signup/")
    assert response.status_code == 413
    assert usernames(app) == []


def test_sign_up_without_a_token_is_refused(app, web):
    set_policy(app, "open")
    response = web.client.post("/signup/", data=sign_up_data())
    assert response.status_code == 400
    assert usernames(app) == []


# With email: the address must be confirmed before the account can post.

def test_open_sign_up_with_mail_needs_a_confirmed_address_to_post(mail_app, smtp_server):
    set_policy(mail_app, "open")
    web = WebUser(mail_app.test_client())
    missing = web.post_form("/signup/", sign_up_data(), form_page="/signup/")
    assert missing.status_code == 400
    assert "Enter your email address." in visible_text(missing)
    bad = web.post_form("/signup/", sign_up_data(email="not an address"), form_page="/signup/")
    assert bad.status_code == 400
    assert "Enter an email address such as name@example.org." in visible_text(bad)
    assert usernames(mail_app) == []

    response = web.post_form("/signup/", sign_up_data(email="Carol@Example.org"),
                             form_page="/signup/", follow_redirects=True)
    text = visible_text(response)
    assert "We have sent a link to carol@example.org . Open it to confirm the address" in text
    assert "Confirm your email address to post" in text
    assert 'name="contents"' not in response.get_data(as_text=True)

    refused = web.client.post("/", data={"contents": "Too early",
                                         "csrf_token": csrf_token(web.client, "/account/")})
    assert refused.status_code == 403
    assert "Your comment was not posted" in visible_text(refused)
    assert "Send the link again" in visible_text(refused)
    assert all_comments(mail_app) == []

    [mail] = smtp_server.to("carol@example.org")
    assert mail["Subject"] == "Confirm your email address"
    assert mail["From"] == "Scratchpad <board@example.test>"
    path = link_in(mail)
    assert path.startswith("/verify-email/")
    confirm_page = web.get(path)
    assert "Confirm carol@example.org as the address of the account carol." in visible_text(
        confirm_page)
    confirmed = web.post_form(path, {}, follow_redirects=True)
    assert "carol@example.org is confirmed" in visible_text(confirmed)
    assert web.post_comment("Now I may.").status_code == 302
    assert [content for _, content, _, _ in all_comments(mail_app)] == ["Now I may."]
    assert web.get(path).status_code == 404  # used


def test_the_confirmation_mail_can_be_sent_again(mail_app, smtp_server):
    set_policy(mail_app, "open")
    web = WebUser(mail_app.test_client())
    web.post_form("/signup/", sign_up_data(email="carol@example.org"), form_page="/signup/")
    response = web.post_form("/account/email/resend", {}, form_page="/account/",
                             follow_redirects=True)
    assert "We have sent a new link to carol@example.org." in visible_text(response)
    first, second = smtp_server.to("carol@example.org")
    assert link_in(first) != link_in(second)


def test_an_address_of_another_account_is_refused(mail_app, smtp_server):
    with mail_app.app_context():
        service.create_user("dave", PASSWORD, email="dave@example.org")
    set_policy(mail_app, "open")
    web = WebUser(mail_app.test_client())
    response = web.post_form("/signup/", sign_up_data(email="DAVE@example.org"),
                             form_page="/signup/")
    assert response.status_code == 400
    assert "An account already has that address." in visible_text(response)
    assert usernames(mail_app) == ["dave"]
    assert smtp_server.mails == []

