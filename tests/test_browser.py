"""The site in a real browser: Debian's Chromium, driven by Playwright, against
a live server. Each page visited is saved as a screenshot in test-artifacts/,
and no page may log a console error (Content-Security-Policy violations
included)."""
import os
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import Comment, User

from .engines import unavailable
from .live_server import REPOSITORY, LiveServer

pytestmark = pytest.mark.browser

CHROMIUM_VARIABLE = "SCRATCHPAD_TEST_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPOSITORY / "test-artifacts"
SETUP_LINK = re.compile(r"http://\S+/setup/[A-Za-z0-9_-]{43}")

ADMIN_PASSWORD = "first administrator's password"
NEW_ADMIN_PASSWORD = "a changed password for admin"
BOB_PASSWORD = "bob's own password"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright's own browser download cannot work here: use Debian's."""
    executable = os.environ.get(CHROMIUM_VARIABLE) or DEFAULT_CHROMIUM
    if not os.access(executable, os.X_OK):
        unavailable(f"Chromium: {executable} is missing; install it with "
                    f"`apt-get install -y chromium` or set {CHROMIUM_VARIABLE}")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path).start()
    yield server
    server.stop()


HTTP_STATUS_MESSAGE = "Failed to load resource: the server responded with a status of"
ABANDONED = "net::ERR_ABORTED"


@pytest.fixture
def console_errors(page):
    """Console errors (Content-Security-Policy violations among them), uncaught
    exceptions, and files of a page that failed to load, as they happen.

    A page answered with an error status on purpose (a failed login is 401)
    also logs a console error; those are left to the test's own checks."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith(HTTP_STATUS_MESSAGE):
            errors.append(message.text)

    def on_request_failed(request):
        # The browser drops what it was still fetching (the icon, say) when
        # the page moves on: that is the page leaving, not a file failing.
        if request.failure != ABANDONED:
            errors.append(f"{request.url} failed: {request.failure}")

    def on_response(response):
        if response.request.resource_type != "document" and response.status >= 400:
            errors.append(f"{response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return errors


@pytest.fixture
def screenshot(request):
    """Save the whole page as test-artifacts/<test>-<number>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    test_name = request.node.originalname.removeprefix("test_")
    taken = []

    def screenshot(page, name):
        taken.append(name)
        page.screenshot(path=ARTIFACTS / f"{test_name}-{len(taken):02}-{name}.png", full_page=True)

    return screenshot


def flash(page):
    return page.locator(".flash")


def log_in_with_the_keyboard(page, server, username, password):
    """Log in as someone who uses no mouse: the username field has the focus."""
    page.goto(f"{server.url}/login/")
    # Keys typed before the page has put the focus in the field would be lost.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def log_out(page):
    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Log out").click()
    expect(flash(page)).to_have_text("Logged out.")


def test_first_run_to_moderation(page, server, console_errors, screenshot):
    # A new site: the board says there is no account; the server logged the link.
    page.goto(server.url)
    expect(page.get_by_text("There is no account yet.")).to_be_visible()
    screenshot(page, "first-run-board")
    [link] = set(SETUP_LINK.findall(server.log()))

    page.goto(link)
    screenshot(page, "setup")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("New password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("New password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create administrator").click()
    expect(flash(page)).to_contain_text("Welcome, admin")
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    assert page.goto(link).status == 404
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    screenshot(page, "setup-link-dead")

    page.goto(server.url)
    log_out(page)
    page.goto(f"{server.url}/login/")
    screenshot(page, "login")

    log_in_with_the_keyboard(page, server, "admin", "not the password")
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password")
    screenshot(page, "login-failed")

    log_in_with_the_keyboard(page, server, "admin", ADMIN_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as admin.")

    page.get_by_label("Your comment").fill("Hello from the first run.")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_have_text("Your comment has been posted.")
    comment = page.locator("article.comment", has_text="Hello from the first run.")
    posted_by_admin = re.compile(r"Posted \w+day, \d\d \w+ \d{4} at \d\d:\d\d by admin")
    expect(comment).to_contain_text(posted_by_admin)
    screenshot(page, "posted")

    comment.get_by_role("link", name="Delete this comment").click()
    expect(page.get_by_role("heading", name="Delete this comment?")).to_be_visible()
    screenshot(page, "delete-comment")
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

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "board-phone")

    assert console_errors == []


def add_comment(server, content, posted, username):
    app = create_app({"DATABASE_URL": server.environment["DATABASE_URL"],
                      "SECRET_KEY": server.environment["SECRET_KEY"]})
    with app.app_context():
        commenter = db.session.scalar(db.select(User).where(User.username == username))
        db.session.add(Comment(content=content, posted=posted, commenter=commenter))
        db.session.commit()
        db.engine.dispose()


@pytest.mark.browser_context_args(timezone_id="Australia/Adelaide")
def test_times_are_shown_in_the_readers_time_zone_with_utc_kept(page, server, console_errors,
                                                                screenshot):
    server.create_user("bob", BOB_PASSWORD)
    add_comment(server, "Written at 17:44 UTC", datetime(2017, 9, 1, 17, 44), "bob")
    page.goto(server.url)
    time = page.locator("article.comment time")
    expect(time).to_have_text("Saturday, 02 September 2017 at 03:14")
    expect(time).to_have_attribute("title", "Friday, 01 September 2017 at 17:44 UTC")
    expect(time).to_have_attribute("datetime", "2017-09-01T17:44:00Z")
    expect(page.locator("#time-zone-note")).to_contain_text("your time zone (Australia/Adelaide)")
    screenshot(page, "local-time")
    assert console_errors == []


def test_the_comment_box_counts_what_the_server_counts(page, server, console_errors, screenshot):
    server.create_user("bob", BOB_PASSWORD)
    log_in_with_the_keyboard(page, server, "bob", BOB_PASSWORD)
    expect(flash(page)).to_have_text("Logged in as bob.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the content")).to_be_focused()
    box = page.get_by_label("Your comment")
    counter = page.locator("#contents-count")
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(counter).to_have_text("0 of 4096 characters")
    box.focus()
    page.keyboard.type("Hi 👋")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("there")
    # Four characters, a line break (sent as CR LF, kept as one) and five more.
    expect(counter).to_have_text("10 of 4096 characters")
    box.fill("x" * 4000)
    page.keyboard.press("End")
    page.keyboard.type("\n" * 100)
    expect(counter).to_have_text("4 characters too many: the limit is 4096.")
    expect(counter).to_have_class(re.compile("text-danger"))
    screenshot(page, "comment-too-long")
    page.keyboard.press("Tab")  # to the button, then press it
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("A comment can be at most 4096 characters.")).to_be_visible()
    assert len(box.input_value()) == 4100  # the refused text is still there
    assert console_errors == []
