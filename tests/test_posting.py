"""Posting comments: only when logged in, stored with the time and the user."""
from datetime import datetime, timedelta

import pytest
from babel.dates import format_date, format_time

from .helpers import all_comments, visible_text

pytestmark = pytest.mark.engines


def test_logged_in_user_sees_the_form(web, make_user):
    make_user("bob")
    web.login("bob")
    page = web.get("/").get_data(as_text=True)
    assert '<textarea' in page and 'name="contents"' in page


def test_visitor_does_not_see_the_form(client, make_user):
    make_user("bob")
    page = client.get("/").get_data(as_text=True)
    assert 'name="contents"' not in page
    assert "Log in to post a comment" in visible_text(client.get("/"))


def test_posting_stores_text_time_and_user_then_redirects(app, web, make_user):
    bob = make_user("bob")
    web.login("bob")
    before = datetime.utcnow().replace(microsecond=0)
    response = web.post_comment("Hello, board 😀")
    after = datetime.utcnow() + timedelta(seconds=1)
    assert response.status_code == 302 and response.location == "/"
    [(_, content, posted, commenter_id)] = all_comments(app)
    assert content == "Hello, board 😀"
    assert commenter_id == bob
    assert before <= posted <= after
    page = web.get("/")
    assert "Your comment has been posted." in visible_text(page)
    shown = " ".join(f"{format_date(posted, 'full', locale='en')}, "
                     f"{format_time(posted, 'short', locale='en')}".split())
    assert f"Hello, board 😀 Posted {shown} by bob" in visible_text(page)


def test_post_from_a_visitor_is_refused_and_stores_nothing(app, client, web):
    response = web.post_form("/", {"contents": "sneaky"}, form_page="/login/")
    assert response.status_code == 302
    assert response.location.startswith("/login/?next=")
    assert all_comments(app) == []
    assert "Please log in to do that." in visible_text(client.get("/login/"))


@pytest.mark.parametrize("text, message", [
    ("", "Write something before posting."),
    ("   \n\t ", "Write something before posting."),
    ("x" * 4097, "A comment can be at most 4096 characters."),
])
def test_bad_comment_is_refused_with_a_message_and_keeps_the_text(app, web, make_user, text, message):
    make_user("bob")
    web.login("bob")
    response = web.post_comment(text)
    assert response.status_code == 400
    assert message in visible_text(response)
    assert all_comments(app) == []
    if text.strip():
        assert text in response.get_data(as_text=True)


def test_a_comment_of_exactly_4096_characters_is_kept_whole(app, web, make_user):
    make_user("bob")
    web.login("bob")
    text = "é" * 4095 + "😀"
    assert web.post_comment(text).status_code == 302
    assert all_comments(app)[0][1] == text


def test_missing_form_field_is_a_400(app, web, make_user):
    make_user("bob")
    web.login("bob")
    response = web.post_form("/", {})
    assert response.status_code == 400
    assert all_comments(app) == []


def test_html_in_a_comment_is_shown_as_text(app, web, make_user):
    make_user("bob")
    web.login("bob")
    web.post_comment("<script>alert(1)</script>")
    page = web.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_body_over_one_mebibyte_is_a_413_and_stores_nothing(app, web, make_user):
    make_user("bob")
    web.login("bob")
    response = web.post_comment("x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert all_comments(app) == []


def test_line_breaks_are_kept_as_one_character_each(app, web, make_user):
    make_user("bob")
    web.login("bob")
    assert web.post_comment("line one\r\nline two\rline three").status_code == 302
    assert all_comments(app)[0][1] == "line one\nline two\nline three"
    at_the_limit = "\r\n".join(["x" * 1023] * 4) + "x"
    assert len(at_the_limit.replace("\r\n", "\n")) == 4096
    assert web.post_comment(at_the_limit).status_code == 302
