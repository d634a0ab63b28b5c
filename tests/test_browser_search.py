"""Searching in a real browser: from the box in the navigation bar to the
results, with the words marked and the commenter's markup shown as text, to
the older results and a comment's own page; on a phone the box fits too."""
from datetime import datetime

import pytest
from playwright.sync_api import expect

from scratchpad.search.views import RESULTS_PER_PAGE

from .helpers import BOB_PASSWORD, add_comment_to_served_site, log_in_with_the_keyboard

pytestmark = pytest.mark.browser


def test_searching_from_the_navigation_bar(page, server, console_errors, screenshot,
                                           accessibility):
    server.create_user("bob", BOB_PASSWORD)
    for number in range(RESULTS_PER_PAGE):
        add_comment_to_served_site(server, f"Quick note {number}: the fox was here",
                    datetime(2024, 1, 1, 12, number), "bob")
    add_comment_to_served_site(server, "The <b>quick</b> brown fox jumps over the lazy dog",
                datetime(2024, 1, 2, 9, 0), "bob")
    add_comment_to_served_site(server, "A lazy afternoon", datetime(2024, 1, 2, 10, 0), "bob")

    log_in_with_the_keyboard(page, server, "bob", BOB_PASSWORD)
    box = page.get_by_role("searchbox", name="Search the comments")
    box.fill("quick FOX")
    box.press("Enter")
    expect(page).to_have_url(f"{server.url}/search?q=quick+FOX")
    expect(page.get_by_role("heading", name="Search the comments")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the comments")).to_have_value("quick FOX")
    results = page.locator("article.search-result")
    expect(results).to_have_count(RESULTS_PER_PAGE)
    newest = results.first
    expect(newest.locator(".search-snippet")).to_have_text(
        "The <b>quick</b> brown fox jumps over the lazy dog")
    expect(newest.locator("mark")).to_have_text(["quick", "fox"])
    expect(newest.locator("b")).to_have_count(0)
    screenshot(page, "results")
    accessibility.check(page, "results")

    page.get_by_role("link", name="Older results").click()
    expect(results).to_have_count(1)
    expect(results.first.locator(".search-snippet")).to_have_text(
        "Quick note 0: the fox was here")
    results.first.get_by_role("link").click()
    expect(page.locator("article.current-comment")).to_contain_text(
        "Quick note 0: the fox was here")

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{server.url}/search?q=lazy")
    expect(results).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "results-phone")
    accessibility.check(page, "results-phone")
    page.goto(f"{server.url}/search?q=%22%2A")
    expect(page.get_by_role("searchbox", name="Search the comments").first).to_be_visible()
    screenshot(page, "nothing-to-search")
    accessibility.check(page, "nothing-to-search")
    assert console_errors == []
    accessibility.assert_no_violations()
