"""The site in a real browser: Debian's Chromium, driven by Playwright, against
a live server. Each page visited is saved as a screenshot in test-artifacts/,
and no page may log a console error (Content-Security-Policy violations
included)."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import Comment

from .helpers import (BOB_PASSWORD, add_comment_to_served_site, flash, log_in_as,
                      log_in_with_the_keyboard, log_out)
from .live_server import ARTIFACTS, LiveServer

pytestmark = pytest.mark.browser

# The log shows the link's path: no address is configured for the site.
SETUP_PATH = re.compile(r"/setup/[A-Za-z0-9_-]{43}")

# None of them contains its username, nor is one of the commonest passwords.
ADMIN_PASSWORD = "first operator's passphrase"
NEW_ADMIN_PASSWORD = "a changed passphrase for the operator"


# The documented default: failed logins per username, 5 a minute.
FAILED_LOGINS_ALLOWED = 5


def test_first_run_to_moderation(page, server, console_errors, screenshot, accessibility):
    # A new site: the board says there is no account; the server logged the link.
    page.goto(server.url)
    expect(page.get_by_text("There is no account yet.")).to_be_visible()
    screenshot(page, "first-run-board")
    accessibility.check(page, "first-run-board")
    [path] = set(SETUP_PATH.findall(server.log()))
    link = server.url + path

    page.goto(link)
    screenshot(page, "setup")
    accessibility.check(page, "setup")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("New password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("New password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create administrator").click()
    expect(flash(page)).to_contain_text("Welcome, admin")
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    assert page.goto(link).status == 404
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    screenshot(page, "setup-link-dead")
    accessibility.check(page, "setup-link-dead")
    assert page.goto(f"{server.url}/?before=not-a-number").status == 400
    expect(page.get_by_role("heading", name="Bad Request")).to_be_visible()
    screenshot(page, "bad-request")
    accessibility.check(page, "bad-request")

    page.goto(f"{server.url}/logout/")
    screenshot(page, "logout")
    accessibility.check(page, "logout")
    log_out(page)
    page.goto(f"{server.url}/login/")
    screenshot(page, "login")
    accessibility.check(page, "login")

    log_in_with_the_keyboard(page, server, "admin", "not the password")
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password")
    screenshot(page, "login-failed")
    accessibility.check(page, "login-failed")

    log_in_with_the_keyboard(page, server, "admin", ADMIN_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as admin.")

    page.get_by_label("Your comment").fill("Hello from the first run.")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_have_text("Your comment has been posted.")
    comment = page.locator("article.comment", has_text="Hello from the first run.")
    posted_by_admin = re.compile(r"Posted \w+day, \w+ \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M by admin")
    expect(comment).to_contain_text(posted_by_admin)
    screenshot(page, "posted")
    accessibility.check(page, "posted")

    comment.get_by_role("link", name="Delete this comment").click()
    expect(page.get_by_role("heading", name="Delete this comment?")).to_be_visible()
    screenshot(page, "delete-comment")
    accessibility.check(page, "delete-comment")
    page.get_by_role("button", name="Delete comment").click()
    expect(flash(page)).to_have_text("The comment has been deleted.")
    expect(page.locator("article.comment")).to_have_count(0)

    page.get_by_role("link", name="admin", exact=True).click()
    page.get_by_label("Current password").fill(ADMIN_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_ADMIN_PASSWORD)
    page.get_by_label("New password again").fill(NEW_ADMIN_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(flash(page)).to_contain_text("Your password has been changed.")
    screenshot(page, "account")
    accessibility.check(page, "account")
    page.get_by_role("link", name="Make a token").click()
    screenshot(page, "new-api-token")
    accessibility.check(page, "new-api-token")
    page.get_by_label("Name").fill("a script")
    page.get_by_role("button", name="Make token").click()
    token = page.get_by_role("textbox", name="Token")
    expect(token).to_have_value(re.compile(r"^scratchpad_pat_"))
    screenshot(page, "api-token-made")
    accessibility.check(page, "api-token-made")
    page.goto(f"{server.url}/account/")
    expect(page.get_by_role("button", name="Revoke the token a script")).to_be_visible()
    screenshot(page, "account-with-token")
    accessibility.check(page, "account-with-token")
    log_out(page)
    log_in_with_the_keyboard(page, server, "admin", NEW_ADMIN_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as admin.")

    page.get_by_label("Your comment").fill("Welcome to the board. Be kind to each other.")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_have_text("Your comment has been posted.")
    page.get_by_role("link", name="Users").click()
    page.get_by_label("Username").fill("bob")
    page.get_by_label("New password", exact=True).fill(BOB_PASSWORD)
    page.get_by_label("New password again").fill(BOB_PASSWORD)
    page.get_by_role("button", name="Add user").click()
    expect(flash(page)).to_have_text("Added user bob.")
    expect(page.get_by_role("row", name=re.compile("^bob"))).to_contain_text("Active")
    screenshot(page, "users")
    accessibility.check(page, "users")
    page.get_by_role("link", name="Delete bob").click()
    expect(page.get_by_role("heading", name=re.compile("Delete"))).to_be_visible()
    screenshot(page, "delete-user")
    accessibility.check(page, "delete-user")
    page.go_back()

    log_out(page)
    log_in_with_the_keyboard(page, server, "bob", BOB_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as bob.")
    page.get_by_label("Your comment").fill("Bob says hello.\nOn two lines.")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_have_text("Your comment has been posted.")
    admins = page.locator("article.comment", has_text="Welcome to the board.")
    bobs = page.locator("article.comment", has_text="Bob says hello.")
    expect(admins).to_contain_text("by admin")
    expect(admins.get_by_role("link", name="Delete this comment")).to_have_count(0)
    expect(bobs.get_by_role("link", name="Delete this comment")).to_have_count(1)
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    expect(page.locator("#time-zone-note")).to_have_text("Times are shown in UTC.")
    screenshot(page, "board")
    accessibility.check(page, "board")

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "board-phone")
    accessibility.check(page, "board-phone")

    assert console_errors == []
    accessibility.assert_no_violations()


def test_the_pages_on_the_way_back_in(page, server, console_errors, screenshot, accessibility):
    """The reply page, the password asked again of a session a remember-me
    cookie restored, and the page of too many login attempts."""
    server.create_user("admin", ADMIN_PASSWORD, admin=True)
    add_comment_to_served_site(server, "A comment to answer", datetime(2024, 5, 1, 9, 30), "admin")
    page.goto(f"{server.url}/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()
    expect(flash(page)).to_have_text("Logged in as admin.")

    comment_id = page.locator("article.comment").first.get_attribute("id").split("-")[1]
    page.goto(f"{server.url}/comments/{comment_id}/reply")
    expect(page.get_by_role("heading", name="Reply to admin")).to_be_visible()
    screenshot(page, "reply")
    accessibility.check(page, "reply")

    # The browser was closed and opened again: only the remember-me cookie is left.
    kept = [cookie for cookie in page.context.cookies() if cookie["name"] != "session"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.goto(f"{server.url}/admin/users/")
    expect(page.get_by_role("heading", name="Confirm your password")).to_be_visible()
    screenshot(page, "reauthenticate")
    accessibility.check(page, "reauthenticate")
    page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page).to_have_url(f"{server.url}/admin/users/")

    page.context.clear_cookies()
    for _ in range(FAILED_LOGINS_ALLOWED):
        log_in_with_the_keyboard(page, server, "admin", "not the password")
        expect(page.get_by_role("alert")).to_have_text("Incorrect username or password")
    log_in_with_the_keyboard(page, server, "admin", "not the password")
    expect(page.get_by_role("heading", name="Too Many Requests")).to_be_visible()
    screenshot(page, "too-many-requests")
    accessibility.check(page, "too-many-requests")

    assert console_errors == []
    accessibility.assert_no_violations()


@pytest.mark.browser_context_args(timezone_id="Australia/Adelaide")
def test_times_are_shown_in_the_readers_time_zone_with_utc_kept(page, server, console_errors,
                                                                screenshot, accessibility):
    server.create_user("bob", BOB_PASSWORD)
    add_comment_to_served_site(server, "Written at 17:44 UTC", datetime(2017, 9, 1, 17, 44), "bob")
    page.goto(server.url)
    time = page.locator("article.comment time")
    expect(time).to_have_text("Saturday, September 2, 2017 at 3:14 AM")  # the browser's Intl
    expect(time).to_have_attribute("title", "Friday, September 1, 2017, 5:44\u202fPM UTC")
    expect(time).to_have_attribute("datetime", "2017-09-01T17:44:00Z")
    expect(page.locator("#time-zone-note")).to_contain_text("your time zone (Australia/Adelaide)")
    screenshot(page, "local-time")
    accessibility.check(page, "local-time")
    assert console_errors == []
    accessibility.assert_no_violations()


def test_the_comment_box_counts_what_the_server_counts(page, server, console_errors, screenshot,
                                                       accessibility):
    server.create_user("bob", BOB_PASSWORD)
    log_in_with_the_keyboard(page, server, "bob", BOB_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as bob.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the content")).to_be_focused()
    box = page.get_by_label("Your comment")
    counter = page.locator("#contents-count")
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(counter).to_have_text("0 of 4,096 characters")
    box.focus()
    page.keyboard.type("Hi 👋")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("there")
    # Four characters, a line break (sent as CR LF, kept as one) and five more.
    expect(counter).to_have_text("10 of 4,096 characters")
    box.fill("x" * 4000)
    page.keyboard.press("End")
    page.keyboard.type("\n" * 100)
    expect(counter).to_have_text("4 characters too many: the limit is 4,096.")
    expect(counter).to_have_class(re.compile("text-danger"))
    screenshot(page, "comment-too-long")
    accessibility.check(page, "comment-too-long")
    page.keyboard.press("Tab")  # to the button, then press it
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("A comment can be at most 4096 characters.")).to_be_visible()
    assert len(box.input_value()) == 4100  # the refused text is still there
    assert console_errors == []
    accessibility.assert_no_violations()


CAROL_PASSWORD = "a kettle on the stove"
DAVE_PASSWORD = "rain on the window"


def backdate(server, text, minutes):
    """Make the comment with ``text`` older, as if the edit window had passed."""
    app = create_app({"DATABASE_URL": server.environment["DATABASE_URL"],
                      "SECRET_KEY": server.environment["SECRET_KEY"]})
    with app.app_context():
        comment = db.session.scalar(db.select(Comment).where(Comment.content == text))
        comment.posted -= timedelta(minutes=minutes)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def moderated_server(tmp_path):
    server = LiveServer(tmp_path)
    # A short edit window, and every account's first comment held for approval.
    server.environment.update({"SCRATCHPAD_EDIT_WINDOW": "1",
                               "SCRATCHPAD_HOLD_NEW_ACCOUNTS": "1"})
    server.start()
    yield server
    server.stop()


def test_a_conversation_from_reply_to_moderation(page, moderated_server, console_errors,
                                                 screenshot, accessibility):
    server = moderated_server
    server.create_user("admin", ADMIN_PASSWORD, admin=True)
    for name, password in (("bob", BOB_PASSWORD), ("carol", CAROL_PASSWORD),
                           ("dave", DAVE_PASSWORD), ("spammer", DAVE_PASSWORD)):
        server.create_user(name, password)
    earlier = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=2)
    # Their first comments, approved long ago.
    add_comment_to_served_site(server, "Hello, I am new here.", earlier, "bob")
    add_comment_to_served_site(server, "Welcome, bob.", earlier, "carol")
    add_comment_to_served_site(server, "Buy cheap watches at example.com!", earlier, "spammer")

    # bob asks; carol answers in place, then corrects her answer.
    log_in_as(page, server, "bob", BOB_PASSWORD)
    page.get_by_label("Your comment").fill("Does anyone know a good *tea* shop?")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_have_text("Your comment has been posted.")
    question = page.locator("article.comment", has_text="Does anyone know a good tea shop?")
    expect(question.locator("em")).to_have_text("tea")
    log_out(page)

    log_in_as(page, server, "carol", CAROL_PASSWORD)
    question.locator("summary", has_text="Reply").click()
    question.get_by_label("Your reply").fill("Try the one on **Main Street**.")
    question.get_by_role("button", name="Post reply").click()
    expect(flash(page)).to_have_text("Your reply has been posted.")
    answer = page.locator("article.reply", has_text="Try the one on Main Street.")
    expect(answer.locator("strong")).to_have_text("Main Street")
    expect(page.locator(".board-page")).to_contain_text("the board page that starts with this thread")
    screenshot(page, "comment-page")
    accessibility.check(page, "comment-page")

    answer.get_by_role("link", name="Edit this comment").click()
    screenshot(page, "edit")
    accessibility.check(page, "edit")
    page.get_by_label("Your comment").fill("Try the one on **Market Street**.")
    page.get_by_role("button", name="Save changes").click()
    expect(flash(page)).to_have_text("Your changes have been saved.")
    answer = page.locator("article.reply", has_text="Try the one on Market Street.")
    expect(answer.locator(".comment-edited")).to_contain_text("edited")
    page.goto(server.url)
    thread = page.locator("article.comment", has_text="Does anyone know a good tea shop?")
    expect(thread.locator("article.reply")).to_have_count(1)
    screenshot(page, "thread")
    accessibility.check(page, "thread")
    # The README's docs/screenshots/thread.png is a copy of this one.
    thread.screenshot(path=ARTIFACTS / "a_conversation_from_reply_to_moderation-thread-alone.png")

    # Once the window has passed, the answer stays as it is.
    backdate(server, "Try the one on **Market Street**.", minutes=2)
    page.reload()
    answer = page.locator("article.reply", has_text="Try the one on Market Street.")
    expect(answer.get_by_role("link", name="Edit this comment")).to_have_count(0)
    answer_path = answer.get_by_role("link", name=re.compile("^Posted")).get_attribute("href")
    edit_path = answer_path + "/edit"
    assert page.goto(server.url + edit_path).status == 403
    expect(page.get_by_text("can no longer be edited")).to_be_visible()
    screenshot(page, "edit-too-late")
    accessibility.check(page, "edit-too-late")

    # carol reports the spam.
    page.goto(server.url)
    spam = page.locator("article.comment", has_text="Buy cheap watches")
    spam.get_by_role("link", name="Report this comment").click()
    page.get_by_label("Why should a moderator look at it?").fill("Advertising")
    screenshot(page, "report")
    accessibility.check(page, "report")
    page.get_by_role("button", name="Report comment").click()
    expect(flash(page)).to_contain_text("the administrators will look at the comment")
    log_out(page)

    # dave's first comment waits for approval; only he sees it.
    log_in_as(page, server, "dave", DAVE_PASSWORD)
    page.get_by_label("Your comment").fill("Hi all, dave here.")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_contain_text("waiting for approval")
    held = page.locator("article.comment", has_text="Hi all, dave here.")
    expect(held.locator(".comment-state")).to_have_text("Waiting for approval")
    screenshot(page, "held")
    accessibility.check(page, "held")
    log_out(page)
    expect(page.locator("article.comment", has_text="Hi all, dave here.")).to_have_count(0)

    # The administrator hides the spam, restores it, and approves dave's comment.
    log_in_as(page, server, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Comments").click()
    queued_spam = page.locator("article.queued-comment", has_text="Buy cheap watches")
    expect(queued_spam).to_contain_text("Reported 1 time")
    expect(queued_spam).to_contain_text("carol: “Advertising”")
    queued_dave = page.locator("article.queued-comment", has_text="Hi all, dave here.")
    expect(queued_dave).to_contain_text("Waiting for approval")
    screenshot(page, "queue")
    accessibility.check(page, "queue")
    queued_spam.get_by_role("button", name=re.compile("^Hide")).click()
    expect(flash(page)).to_have_text("The comment is hidden.")
    page.goto(server.url)
    expect(page.locator(".comment-state")).to_have_text(["Waiting for approval",
                                                         "Hidden by a moderator"])
    screenshot(page, "board-for-the-administrator")
    accessibility.check(page, "board-for-the-administrator")
    page.goto(server.url + answer_path)
    expect(page.get_by_role("heading", name="Earlier versions")).to_be_visible()
    screenshot(page, "earlier-versions")
    accessibility.check(page, "earlier-versions")
    log_out(page)
    hidden = page.locator("article.comment", has_text="This comment was hidden by a moderator.")
    expect(hidden).to_have_count(1)
    expect(page.get_by_text("Buy cheap watches")).to_have_count(0)
    screenshot(page, "hidden")
    accessibility.check(page, "hidden")

    log_in_as(page, server, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Comments").click()
    page.get_by_label("Show").select_option("hidden")
    page.locator("#content").get_by_role("button", name="Search").click()  # not the navbar's
    page.locator("article.queued-comment", has_text="Buy cheap watches").get_by_role(
        "button", name=re.compile("^Restore")).click()
    expect(flash(page)).to_have_text("The comment is shown again.")
    page.get_by_label("Show").select_option("waiting")
    page.locator("#content").get_by_role("button", name="Search").click()  # not the navbar's
    page.locator("article.queued-comment", has_text="Hi all, dave here.").get_by_role(
        "button", name=re.compile("^Approve")).click()
    expect(flash(page)).to_have_text("The comment is approved and shown.")
    expect(page.get_by_text("No comments are waiting.")).to_be_visible()
    log_out(page)
    expect(page.locator("article.comment", has_text="Hi all, dave here.")).to_have_count(1)
    expect(page.locator("article.comment", has_text="Buy cheap watches")).to_have_count(1)
    expect(page.get_by_text("This comment was hidden by a moderator.")).to_have_count(0)
    assert console_errors == []
    accessibility.assert_no_violations()
