"""The site in German in a real browser: every page of an administrator's
walk in German, with no English sentence of the site's own left on it and no
accessibility violation in either colour mode; dates and the character
counter written the German way by the script, in the reader's time zone."""
import re
from datetime import datetime

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from playwright.sync_api import expect

from scratchpad.site.languages import TRANSLATIONS_DIRECTORY
from scratchpad.site.translate import catalogue_path

from .helpers import BOB_PASSWORD, add_comment_to_served_site, cut_off_controls

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "lighthouse keeper at dawn"
GERMAN = Translations.load(TRANSLATIONS_DIRECTORY, ["de"])
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def english_sentences():
    """The site's own English texts of some length that German says otherwise."""
    with open(catalogue_path("de"), "rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    return sorted(message.id for message in catalogue
                  if isinstance(message.id, str) and len(message.id) >= 12
                  and message.string and message.string != message.id
                  and not PLACEHOLDER.search(message.id) and "<" not in message.id)


def english_left_on(page):
    text = " ".join(page.locator("body").inner_text().split())
    return [sentence for sentence in english_sentences() if sentence in text]


def filled_in(text, **values):
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), text)


@pytest.mark.browser_context_args(locale="de-DE", timezone_id="Europe/Berlin")
def test_an_administrators_walk_in_german(page, server, console_errors, screenshot,
                                          accessibility):
    server.create_user("admin", ADMIN_PASSWORD, admin=True)
    server.create_user("bob", BOB_PASSWORD)
    add_comment_to_served_site(server, "Geschrieben um 17:44 UTC", datetime(2017, 9, 1, 17, 44), "bob")

    def visit(path, name):
        page.goto(server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        assert english_left_on(page) == [], name
        assert cut_off_controls(page) == [], name
        screenshot(page, name)
        accessibility.check(page, name)

    visit("/", "board")
    time = page.locator("article.comment time").first
    expect(time).to_have_text(re.compile(r"^Freitag, 1\. September 2017.* 19:44$"))
    expect(time).to_have_attribute("title", re.compile(r"^Freitag, 1\. September 2017, 17:44"))
    expect(page.locator("#time-zone-note")).to_have_text(filled_in(
        GERMAN.gettext("Times are shown in your time zone ({zone}); "
                       "point at one to see it in UTC."), zone="Europe/Berlin"))

    visit("/login/", "login")
    page.get_by_label(GERMAN.gettext("Username")).fill("admin")
    page.get_by_label(GERMAN.gettext("Password")).fill(ADMIN_PASSWORD)
    page.get_by_label(GERMAN.gettext("Password")).press("Enter")
    expect(page.get_by_role("link", name=GERMAN.gettext("Log out"))).to_be_visible()

    box = page.locator("textarea#contents")
    box.fill("Hallo")
    expect(page.locator("#contents-count")).to_have_text(filled_in(
        GERMAN.gettext("{count} of {limit} characters"), count=5, limit="4.096"))
    box.fill("x" * 4097)
    expect(page.locator("#contents-count")).to_have_text(filled_in(
        GERMAN.gettext("{count} character too many: the limit is {limit}."),
        count=1, limit="4.096"))
    box.fill("Hallo, Pinnwand!")
    box.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text(
        GERMAN.gettext("Your comment has been posted."))
    assert english_left_on(page) == []
    screenshot(page, "board-logged-in")
    accessibility.check(page, "board-logged-in")

    comment = page.locator("article.comment").first.get_attribute("id").removeprefix("comment-")
    older = page.locator("article.comment").last.get_attribute("id").removeprefix("comment-")
    for path, name in ((f"/comments/{comment}", "comment"),
                       (f"/comments/{older}/reply", "reply"),
                       (f"/comments/{comment}/edit", "edit"),
                       (f"/comments/{comment}/delete", "delete"),
                       (f"/comments/{older}/report", "report"),
                       ("/account/", "account"),
                       ("/account/tokens/new", "new-token"),
                       ("/account/email", "email"),
                       ("/admin/users/", "users"),
                       ("/admin/invitations/", "invitations"),
                       ("/admin/settings/", "settings"),
                       ("/admin/comments/", "held-comments"),
                       ("/search?q=Hallo", "search"),
                       ("/no-such-page", "not-found")):
        visit(path, name)
    accessibility.assert_no_violations()
    assert console_errors == []
