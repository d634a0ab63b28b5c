"""Reading the board: what each comment says, and pages of 50."""
from datetime import datetime

import pytest

from .helpers import add_comment, visible_text

pytestmark = pytest.mark.engines


def test_comment_shows_time_and_commenter_in_tutorial_format(app, client, make_user):
    bob = make_user("bob")
    add_comment(app, "Hello", datetime(2017, 9, 1, 17, 44), bob)
    response = client.get("/")
    assert response.status_code == 200
    assert "Hello Posted Friday, September 1, 2017, 5:44 PM by bob" in visible_text(response)
    assert '<time datetime="2017-09-01T17:44:00Z"' in response.get_data(as_text=True)


def test_page_says_times_are_utc(client):
    assert "Times are shown in UTC" in visible_text(client.get("/"))


def test_comment_without_timestamp_is_at_an_unknown_time(app, client, make_user):
    add_comment(app, "From before timestamps", None, make_user("bob"))
    assert "Posted at an unknown time by bob" in visible_text(client.get("/"))


def test_comment_without_commenter_is_by_anonymous_coward(app, client):
    add_comment(app, "From before accounts", datetime(2017, 9, 1, 17, 44))
    assert ("Posted Friday, September 1, 2017, 5:44 PM by Anonymous Coward"
            in visible_text(client.get("/")))


def test_anyone_can_read_without_logging_in(app, client):
    add_comment(app, "Public words")
    response = client.get("/")
    assert response.status_code == 200
    assert "Public words" in visible_text(response)


def test_newest_comments_come_first(app, client):
    add_comment(app, "first words")
    add_comment(app, "second words")
    text = visible_text(client.get("/"))
    assert text.index("second words") < text.index("first words")


@pytest.fixture
def many_comments(app):
    """120 comments: ids in posting order."""
    return [add_comment(app, f"comment number {n}") for n in range(1, 121)]


def shown_numbers(response):
    import re
    return [int(n) for n in re.findall(r"comment number (\d+)", response.get_data(as_text=True))]


def test_at_most_50_comments_a_page_with_links_between_pages(client, many_comments):
    first = client.get("/")
    assert shown_numbers(first) == list(range(120, 70, -1))
    assert "Newer comments" not in visible_text(first)
    older_link = f"/?before={many_comments[70]}"
    assert older_link in first.get_data(as_text=True)

    second = client.get(older_link)
    assert shown_numbers(second) == list(range(70, 20, -1))
    assert f"/?after={many_comments[69]}" in second.get_data(as_text=True)

    third = client.get(f"/?before={many_comments[20]}")
    assert shown_numbers(third) == list(range(20, 0, -1))
    assert "Older comments" not in visible_text(third)

    back = client.get(f"/?after={many_comments[19]}")
    assert shown_numbers(back) == list(range(70, 20, -1))


def test_page_size_is_a_setting(app, client, many_comments):
    app.config["COMMENTS_PER_PAGE"] = 7
    assert len(shown_numbers(client.get("/"))) == 7


@pytest.mark.parametrize("query", ["before=abc", "before=-1", "after=1.5", "before=", "after=%F0%9F%98%80",
                                   "before=99999999999999999999999"])
def test_a_page_number_that_is_not_a_whole_number_is_a_400(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert "page link must end in a whole number" in visible_text(response)


@pytest.mark.parametrize("query", ["before=2147483648", "after=2147483648",
                                   "before=1000000000000000", "after=999999999999999999"])
def test_a_page_number_no_comment_can_have_is_a_400(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert "no comment has so large a number" in visible_text(response)


def test_the_largest_possible_page_number_is_a_page(client, many_comments):
    assert client.get("/?before=2147483647").status_code == 200
    assert client.get("/?after=2147483647").status_code == 200


def test_a_page_past_the_end_is_empty_not_an_error(client, many_comments):
    response = client.get("/?before=1")
    assert response.status_code == 200
    assert "No comments here yet" in visible_text(response)


def test_reading_the_board_sets_no_cookie(app, client, make_user):
    make_user("bob")
    add_comment(app, "Public words")
    assert client.get("/").headers.get("Set-Cookie") is None


def test_a_newer_page_with_nothing_older_has_no_older_link(app, client, many_comments):
    """?after= the oldest comment but one: the page holds only the oldest, with a
    way to newer comments and none to older ones."""
    page = client.get(f"/?after={many_comments[0] - 1}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "?before=" not in html
    assert "?after=" in html


def test_before_and_after_together_are_refused(app, client, many_comments):
    response = client.get(f"/?before={many_comments[60]}&after={many_comments[10]}")
    assert response.status_code == 400
    assert "either" in visible_text(response)


def test_a_head_describes_the_get_of_the_same_page(app, client, many_comments):
    path = f"/?before={many_comments[-1]}"
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert int(head.headers["Content-Length"]) == len(got.get_data())
