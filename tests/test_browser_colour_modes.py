"""Colour modes in a real browser: pages follow the system's light or dark
preference; the reader's choice in the navigation bar overrides it and is kept
in the browser, across reloads and pages, never in a cookie, so readers' pages
stay the same for everyone; without JavaScript the stylesheets follow the
system alone."""
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from .helpers import BOB_PASSWORD, add_comment_to_served_site, log_in_as
from .live_server import LiveServer

pytestmark = pytest.mark.browser

STORAGE_KEY = "scratchpad-theme"
# Bootstrap's page background (--bs-tertiary-bg) and text colour in each mode.
LIGHT = {"background": "rgb(248, 249, 250)", "text": "rgb(33, 37, 41)"}
DARK = {"background": "rgb(43, 48, 53)", "text": "rgb(222, 226, 230)"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A board of five comments, two to a page, shared by the module's tests:
    none of them changes what the board holds."""
    server = LiveServer(tmp_path_factory.mktemp("colour-modes"))
    server.environment["SCRATCHPAD_COMMENTS_PER_PAGE"] = "2"
    server.start()
    server.create_user("bob", BOB_PASSWORD)
    for number in range(1, 6):
        add_comment_to_served_site(server, f"Comment number {number}", datetime(2026, 11, 1) +
                    timedelta(hours=number), "bob")
    yield server
    server.stop()


def mode(page):
    return page.locator("html")


def colours(page):
    return page.evaluate("""() => {
        const style = getComputedStyle(document.body);
        return {background: style.backgroundColor, text: style.color};
    }""")


def test_the_readers_choice_is_kept_in_the_browser_and_pages_stay_the_same_for_all(
        page, browser, server, console_errors, screenshot, accessibility):
    page.goto(server.url)
    expect(mode(page)).to_have_attribute("data-bs-theme", "light")
    picker = page.get_by_label("Colour theme")
    expect(picker).to_be_visible()
    expect(picker).to_have_value("auto")
    expect(page.get_by_role("link", name="Older comments")).to_be_visible()
    screenshot(page, "first-page")
    accessibility.check(page, "first-page")
    page.get_by_role("link", name="Older comments").click()
    expect(page.get_by_role("link", name="Newer comments")).to_be_visible()
    screenshot(page, "second-page")
    accessibility.check(page, "second-page")
    page_before = page.request.get(server.url + "/")

    # The system's preference, followed as it changes.
    page.emulate_media(color_scheme="dark")
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    assert colours(page) == DARK
    page.emulate_media(color_scheme="light")
    expect(mode(page)).to_have_attribute("data-bs-theme", "light")
    assert colours(page) == LIGHT

    # The reader's choice wins over the system's, on this page and the next.
    picker.select_option("dark")
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    page.reload()
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    expect(picker).to_have_value("dark")
    assert colours(page) == DARK
    screenshot(page, "dark-chosen")
    page.locator("article.comment").first.get_by_role("link", name=re.compile("^Posted")).click()
    expect(page.get_by_role("heading", name="A comment by bob")).to_be_visible()
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    page.emulate_media(color_scheme="light")
    expect(page.get_by_label("Colour theme")).to_have_value("dark")
    assert colours(page) == DARK

    # Kept in the browser alone: no cookie, and the server sends the same page.
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == "dark"
    assert page.context.cookies() == []
    page_after = page.request.get(server.url + "/")
    assert page_after.status == page_before.status == 200
    assert page_after.body() == page_before.body()
    assert page_after.headers["etag"] == page_before.headers["etag"]
    another_browser = browser.new_context()
    assert another_browser.request.get(server.url + "/").body() == page_before.body()
    another_browser.close()

    # Light, whatever the system prefers; then the system's again.
    page.goto(server.url)
    page.get_by_label("Colour theme").select_option("light")
    page.emulate_media(color_scheme="dark")
    page.reload()
    expect(mode(page)).to_have_attribute("data-bs-theme", "light")
    assert colours(page) == LIGHT
    page.get_by_label("Colour theme").select_option("auto")
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    page.reload()
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    expect(page.get_by_label("Colour theme")).to_have_value("auto")
    assert console_errors == []
    accessibility.assert_no_violations()


def test_a_logged_in_readers_choice_is_kept_too(page, server, console_errors):
    log_in_as(page, server, "bob", BOB_PASSWORD)
    page.get_by_label("Colour theme").select_option("dark")
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    page.get_by_role("link", name="bob", exact=True).click()
    expect(mode(page)).to_have_attribute("data-bs-theme", "dark")
    expect(page.get_by_label("Colour theme")).to_have_value("dark")
    assert {cookie["name"] for cookie in page.context.cookies()} == {"session"}
    assert console_errors == []


@pytest.mark.parametrize("system, expected", [("light", LIGHT), ("dark", DARK)])
def test_without_javascript_the_page_follows_the_system(browser, server, system, expected):
    context = browser.new_context(java_script_enabled=False, color_scheme=system)
    page = context.new_page()
    page.goto(server.url)
    assert mode(page).get_attribute("data-bs-theme") is None
    assert colours(page) == expected
    # The picker could not work: it is not shown.
    expect(page.get_by_label("Colour theme")).to_be_hidden()
    context.close()
