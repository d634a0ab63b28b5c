"""What pages tell those who do not see them, or who read them by their
outline: every comment is an <article> named by a heading of its own (hidden
to the eye, which reads the "Posted … by …" line), replies a level below
their thread; every page has a description. (The browser tests run axe-core
on every page, in both colour modes.)"""
import re
from datetime import datetime

import pytest

from .helpers import add_comment


def comment_headings(page):
    """Each comment <article>'s heading: (its tag, its class, its text)."""
    headings = []
    for article in re.findall(r"<article\b[^>]*>", page):
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', article)
        assert labelled_by, f"{article} names no heading"
        heading = re.search(rf'<(h[1-6]) class="([^"]*)" id="{labelled_by.group(1)}">(.*?)</\1>',
                            page)
        assert heading, f"no heading {labelled_by.group(1)}"
        headings.append(heading.groups())
    return headings


def test_every_comment_and_reply_has_a_heading_of_its_own(app, web, make_user):
    bob = make_user("bob")
    carol = make_user("carol")
    posted = datetime(2026, 11, 1, 12, 0)
    thread = add_comment(app, "A question", posted, bob)
    reply = add_comment(app, "An answer", posted, carol, parent_id=thread)
    add_comment(app, "From the days before accounts", None, None)

    board = web.get("/").get_data(as_text=True)
    assert comment_headings(board) == [
        ("h2", "visually-hidden", "Comment by Anonymous Coward"),
        ("h2", "visually-hidden", "Comment by bob"),
        ("h3", "visually-hidden", "Reply by carol"),
    ]
    # The page's own heading comes first, then the comments a level below it.
    assert re.findall(r"<(h[1-6])\b", board)[0] == "h1"

    comment_page = web.get(f"/comments/{reply}").get_data(as_text=True)
    assert comment_headings(comment_page) == [("h2", "visually-hidden", "Comment by bob"),
                                              ("h3", "visually-hidden", "Reply by carol")]


def test_comments_in_the_moderation_queue_have_headings(app, web, make_user):
    make_user("admin", is_admin=True)
    dave = make_user("dave")
    add_comment(app, "Waiting for a look", datetime(2026, 11, 1, 12, 0), dave, is_held=True)
    web.login("admin")
    queue = web.get("/admin/comments/").get_data(as_text=True)
    assert comment_headings(queue) == [("h2", "visually-hidden", "Comment by dave")]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_every_page_describes_itself(app, web, make_user):
    make_user("bob")
    for path in ("/", "/login/", "/no/such/page", "/?before=not-a-number"):
        page = web.get(path).get_data(as_text=True)
        description = re.search(r'<meta name="description" content="([^"]+)">', page)
        assert description and "comment board" in description.group(1), path
