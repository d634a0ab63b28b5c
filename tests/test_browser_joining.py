"""Joining in a real browser: an administrator opens registration by
invitation and makes a link; a newcomer, in a browser of their own, joins
with it, confirms their address from the mail, posts, logs out, forgets the
password, resets it from a second mail and logs in. Mail goes through a real
SMTP server (aiosmtpd)."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import flash, log_in_with_the_keyboard, log_out, mail_text
from .live_server import LiveServer

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "the operator keeps a passphrase"
CAROL_PASSWORD = "a first passphrase of hers"
CAROL_NEW_PASSWORD = "she remembers this one"


@pytest.fixture
def server(tmp_path, smtp_server):
    server = LiveServer(tmp_path)
    server.environment.update({
        "SCRATCHPAD_MAIL_SERVER": "127.0.0.1",
        "SCRATCHPAD_MAIL_PORT": str(smtp_server.port),
        "SCRATCHPAD_MAIL_DEFAULT_SENDER": "board@example.test",
        "SCRATCHPAD_PUBLIC_URL": server.url,
    })
    server.start()
    yield server
    server.stop()


def the_link_in_the_mail(smtp_server, address, count):
    """The link of the newest mail to the address, once there are ``count`` of them."""
    mails = smtp_server.wait_for(address, count)
    assert len(mails) == count
    [link] = re.findall(r"http://\S+", mail_text(mails[-1]))
    return link


def test_joining_by_invitation_and_resetting_the_password_by_mail(
        page, browser, server, smtp_server, console_errors, screenshot, accessibility):
    server.create_user("admin", ADMIN_PASSWORD, admin=True)
    log_in_with_the_keyboard(page, server, "admin", ADMIN_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as admin.")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("By invitation").check()
    page.get_by_role("button", name="Save").click()
    expect(flash(page)).to_contain_text("Registration: By invitation")
    screenshot(page, "settings")
    accessibility.check(page, "settings")
    page.get_by_role("link", name="Invitation links").click()
    page.get_by_label("Note").fill("for Carol")
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.get_by_role("textbox", name="Invitation link").input_value()
    assert link.startswith(f"{server.url}/signup/")
    expect(page.get_by_role("row", name=re.compile("for Carol"))).to_contain_text("Open")
    screenshot(page, "invitations")
    accessibility.check(page, "invitations")

    # The newcomer, in a browser of their own.
    carol_context = browser.new_context()
    carol = carol_context.new_page()
    carol.goto(link)
    expect(carol.get_by_role("heading", name="You are invited to join")).to_be_visible()
    carol.get_by_label("Username").fill("carol")
    carol.get_by_label("Email address").fill("carol@example.org")
    carol.get_by_label("New password", exact=True).fill(CAROL_PASSWORD)
    carol.get_by_label("New password again").fill(CAROL_PASSWORD)
    screenshot(carol, "signup")
    accessibility.check(carol, "signup")
    carol.get_by_role("button", name="Create account").click()
    expect(flash(carol)).to_have_text("Welcome, carol: your account has been created.")
    expect(carol.get_by_role("heading", name="Confirm your email address to post")).to_be_visible()
    screenshot(carol, "confirm-first")
    accessibility.check(carol, "confirm-first")

    carol.goto(the_link_in_the_mail(smtp_server, "carol@example.org", 1))
    screenshot(carol, "verify-email")
    accessibility.check(carol, "verify-email")
    carol.get_by_role("button", name="Confirm carol@example.org").click()
    expect(flash(carol)).to_contain_text("carol@example.org is confirmed")
    carol.get_by_label("Your comment").fill("Thank you for inviting me!")
    carol.get_by_role("button", name="Post comment").click()
    expect(flash(carol)).to_have_text("Your comment has been posted.")
    expect(carol.locator("article.comment")).to_contain_text("by carol")
    log_out(carol)

    carol.get_by_role("navigation").get_by_role("link", name="Log in").click()
    carol.get_by_role("link", name="Forgot your password?").click()
    screenshot(carol, "reset-password")
    accessibility.check(carol, "reset-password")
    carol.get_by_label("The email address of your account").fill("carol@example.org")
    carol.get_by_role("button", name="Send me a link").click()
    expect(flash(carol)).to_contain_text("If an account has that address, we have sent it a link")

    carol.goto(the_link_in_the_mail(smtp_server, "carol@example.org", 2))
    expect(carol.get_by_role("heading", name="Choose a new password for carol")).to_be_visible()
    carol.get_by_label("New password", exact=True).fill(CAROL_NEW_PASSWORD)
    carol.get_by_label("New password again").fill(CAROL_NEW_PASSWORD)
    screenshot(carol, "new-password")
    accessibility.check(carol, "new-password")
    carol.get_by_role("button", name="Set the new password").click()
    expect(flash(carol)).to_contain_text("Your password has been changed")
    log_in_with_the_keyboard(carol, server, "carol", CAROL_PASSWORD)
    expect(carol.get_by_role("alert")).to_have_text("Incorrect username or password")
    log_in_with_the_keyboard(carol, server, "carol", CAROL_NEW_PASSWORD)
    expect(flash(carol)).to_have_text("Logged in as carol.")

    # The administrator sees the invitation used, then opens sign-up to all.
    page.goto(f"{server.url}/admin/invitations/")
    expect(page.get_by_role("row", name=re.compile("for Carol"))).to_contain_text("Used by carol")
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Open: anyone can sign up").check()
    page.get_by_role("button", name="Save").click()
    visitor = browser.new_context().new_page()
    visitor.goto(f"{server.url}/login/")
    visitor.get_by_role("link", name="Sign up").click()
    expect(visitor.get_by_role("heading", name="Sign up")).to_be_visible()
    expect(visitor.get_by_label("Leave this field empty")).to_be_hidden()
    screenshot(visitor, "open-signup")
    accessibility.check(visitor, "open-signup")
    visitor.get_by_role("button", name="Create account").click()
    expect(visitor.get_by_text("Choose a username.")).to_be_visible()
    expect(visitor.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    screenshot(visitor, "signup-refused")
    accessibility.check(visitor, "signup-refused")

    assert console_errors == []
    accessibility.assert_no_violations()
    app_log = [line for line in server.log().splitlines() if " scratchpad: " in line]
    assert not [line for line in app_log if "carol" in line or link.rsplit("/", 1)[1] in line]
