"""Replies, editing, formatting and the page of each comment, on every engine."""
import re
from datetime import timedelta

import pytest

from scratchpad.accounts.service import find_user
from scratchpad.board import comments as board_comments
from scratchpad.board import personal_pages
from scratchpad.extensions import db
from scratchpad.models import Comment, utc_now

from .helpers import WebUser, add_comment, comment_state, newest_comment_id, visible_text

pytestmark = pytest.mark.engines


@pytest.fixture
def bob(app, web, make_user):
    make_user("bob")
    assert web.login().status_code == 302
    return web


@pytest.fixture
def carol(app, make_user):
    make_user("carol")
    carol = WebUser(app.test_client())
    assert carol.login("carol").status_code == 302
    return carol


def user_id(app, username):
    with app.app_context():
        return find_user(username).id


def post(web, text):
    assert web.post_comment(text).status_code == 302
    return newest_comment_id(web.client.application)


def reply(web, comment_id, text):
    # The board's form carries the token: the reply page may not exist.
    return web.post_form(f"/comments/{comment_id}/reply", {"contents": text}, form_page="/")


def edit(web, comment_id, text):
    return web.post_form(f"/comments/{comment_id}/edit", {"contents": text}, form_page="/")


def test_a_reply_is_shown_under_its_comment_oldest_first(app, bob, carol):
    first = post(bob, "First thought")
    later = post(bob, "Later thought")
    assert reply(carol, first, "An answer").status_code == 302
    assert reply(bob, first, "A second answer").status_code == 302
    page = bob.get("/").get_data(as_text=True)
    thread = page[page.index('id="comment-%d"' % first):]
    assert thread.index("An answer") < thread.index("A second answer")
    assert page.index("Later thought") < page.index("First thought") < page.index("An answer")
    assert comment_state(app, newest_comment_id(app))["parent_id"] == first
    assert comment_state(app, later)["parent_id"] is None


def test_a_reply_to_a_reply_joins_the_same_thread(app, bob, carol):
    top = post(bob, "Top")
    assert reply(carol, top, "Level one").status_code == 302
    level_one = newest_comment_id(app)
    response = reply(bob, level_one, "Answering the answer")
    assert response.status_code == 302
    assert comment_state(app, newest_comment_id(app))["parent_id"] == top
    assert response.location.startswith(f"/comments/{newest_comment_id(app)}")


def test_the_reply_form_is_in_place_and_on_a_page_of_its_own(app, bob):
    top = post(bob, "Answer me")
    board = bob.get("/").get_data(as_text=True)
    assert f'action="/comments/{top}/reply"' in board
    assert "<details" in board and "<summary" in board
    page = bob.get(f"/comments/{top}/reply")
    assert page.status_code == 200 and "Reply to bob" in visible_text(page)


def test_visitors_get_no_reply_form_and_cannot_reply(app, client, make_user):
    comment = add_comment(app, "Hello", commenter_id=make_user("bob"))
    assert "<details" not in client.get("/").get_data(as_text=True)
    response = WebUser(client).post_form(f"/comments/{comment}/reply", {"contents": "Sneaky"},
                                         form_page="/login/")
    assert response.status_code == 302 and "/login/" in response.location
    assert comment_state(app, newest_comment_id(app))["content"] == "Hello"


def test_replies_to_missing_deleted_or_hidden_comments_are_refused(app, bob, carol):
    assert reply(bob, 999999, "To nothing").status_code == 404
    gone = post(carol, "Soon gone")
    assert carol.post_form(f"/comments/{gone}/delete", {}).status_code == 302
    assert reply(bob, gone, "Too late").status_code == 404
    hidden = add_comment(app, "Hidden", posted=utc_now(), is_hidden=True)
    response = reply(bob, hidden, "Answering the hidden")
    assert response.status_code == 403
    assert "hidden by a moderator" in visible_text(response)
    held = add_comment(app, "Held", posted=utc_now(), is_held=True)
    assert reply(bob, held, "Answering the held").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 2


def test_an_empty_or_too_long_reply_is_refused(app, bob):
    top = post(bob, "Top")
    assert reply(bob, top, "").status_code == 400
    assert reply(bob, top, "x" * 4097).status_code == 400
    assert newest_comment_id(app) == top


def test_deleting_a_comment_deletes_its_replies(app, bob, carol):
    top = post(bob, "A thread")
    reply(carol, top, "One")
    reply(carol, top, "Two")
    confirm = bob.get(f"/comments/{top}/delete")
    assert "Its 2 replies are deleted with it." in visible_text(confirm)
    assert bob.post_form(f"/comments/{top}/delete", {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 0


def test_an_author_edits_within_the_window_and_the_old_text_is_kept(app, bob):
    comment = post(bob, "Frist!")
    assert edit(bob, comment, "First!").status_code == 302
    state = comment_state(app, comment)
    assert state["content"] == "First!" and state["revisions"] == ["Frist!"]
    assert state["edited_at"] is not None
    page = visible_text(bob.get("/"))
    assert "First!" in page and "Frist!" not in page and "edited" in page


def test_editing_after_the_window_is_refused(app, bob):
    app.config["EDIT_WINDOW"] = 5
    old = add_comment(app, "Old words", posted=utc_now() - timedelta(minutes=6),
                      commenter_id=user_id(app, "bob"))
    response = edit(bob, old, "New words")
    assert response.status_code == 403
    assert "can be edited for 5 minutes" in visible_text(response)
    assert bob.get(f"/comments/{old}/edit").status_code == 403
    assert comment_state(app, old)["content"] == "Old words"
    assert f"/comments/{old}/edit" not in bob.get("/").get_data(as_text=True)


def test_nobody_edits_someone_elses_comment_but_an_administrator_any_time(app, bob, make_user):
    carols = add_comment(app, "Carol's words", posted=utc_now() - timedelta(days=30),
                         commenter_id=make_user("carol"))
    assert edit(bob, carols, "Bob's words").status_code == 403
    assert comment_state(app, carols)["content"] == "Carol's words"
    make_user("root", is_admin=True)
    admin = WebUser(app.test_client())
    admin.login("root")
    assert edit(admin, carols, "Tidied by an administrator").status_code == 302
    assert comment_state(app, carols)["revisions"] == ["Carol's words"]
    page = visible_text(admin.get(f"/comments/{carols}"))
    assert "Earlier versions" in page and "Carol's words" in page and "by root" in page
    assert "Earlier versions" not in visible_text(bob.get(f"/comments/{carols}"))


def test_a_comment_has_a_page_with_its_thread_and_its_board_page(app, bob, carol):
    top = post(bob, "The topic")
    reply(carol, top, "My reply")
    answer = newest_comment_id(app)
    board = bob.get("/").get_data(as_text=True)
    assert f'href="/comments/{answer}"' in board
    page = carol.get(f"/comments/{answer}")
    text = visible_text(page)
    assert page.status_code == 200
    assert "The topic" in text and "My reply" in text
    assert f'href="/?before={top + 1}#comment-{answer}"' in page.get_data(as_text=True)
    assert "The topic" in visible_text(carol.get(f"/?before={top + 1}"))
    assert bob.get("/comments/999999").status_code == 404


def test_formatting_is_rendered_once_and_stored_beside_the_text(app, bob):
    comment = post(bob, "*Hello* [site](https://example.com)\n\n> quoted")
    state = comment_state(app, comment)
    assert state["content"] == "*Hello* [site](https://example.com)\n\n> quoted"
    assert "<em>Hello</em>" in state["rendered_html"]
    page = bob.get("/").get_data(as_text=True)
    assert '<a href="https://example.com" rel="nofollow ugc noopener">site</a>' in page
    assert "<blockquote>" in page


def test_comments_from_before_formatting_are_shown_exactly_as_before(app, client, make_user):
    add_comment(app, "*not emphasis* <b>& line\nbreak", commenter_id=make_user("bob"))
    page = client.get("/").get_data(as_text=True)
    assert ('<p class="card-text comment-content">*not emphasis* &lt;b&gt;&amp; line\nbreak</p>'
            in page)


def test_rerender_command_renders_formatted_comments_again(app, runner, make_user):
    formatted = add_comment(app, "*new*", rendered_html="stale", posted=utc_now())
    plain = add_comment(app, "*old*")
    result = runner.invoke(args=["comments", "rerender"])
    assert result.exit_code == 0, result.output
    assert "Rendered 1 comment again; 1 changed." in result.output
    assert comment_state(app, formatted)["rendered_html"] == "<p><em>new</em></p>\n"
    assert comment_state(app, plain)["rendered_html"] is None
    result = runner.invoke(args=["comments", "rerender", "--all"])
    assert "Rendered 2 comments again; 1 changed." in result.output
    assert comment_state(app, plain)["rendered_html"] == "<p><em>old</em></p>\n"


def test_the_posted_line_links_to_the_comment(app, client, make_user):
    comment = add_comment(app, "Linked", posted=utc_now(), commenter_id=make_user("bob"))
    page = client.get("/").get_data(as_text=True)
    assert re.search(rf'<a href="/comments/{comment}"[^>]*>Posted <time', page)


def test_each_reader_sees_their_own_links_on_a_comment_rendered_before(app, bob, carol,
                                                                        monkeypatch):
    """Readers who see a comment the same way share its rendering; one who
    sees it otherwise, or the same reader once the edit window has passed,
    gets their own."""
    comment = post(bob, "Shared words")
    links = {
        "edit": f'href="/comments/{comment}/edit"',
        "delete": f'href="/comments/{comment}/delete"',
        "report": f'href="/comments/{comment}/report"',
    }

    def shown_links(web):
        page = web.get("/").get_data(as_text=True)
        return {name for name, link in links.items() if link in page}

    for _ in range(2):
        assert shown_links(bob) == {"edit", "delete"}
        assert shown_links(carol) == {"report"}
    later = utc_now() + timedelta(minutes=app.config["EDIT_WINDOW"], seconds=1)
    monkeypatch.setattr(board_comments, "utc_now", lambda: later)
    monkeypatch.setattr(personal_pages, "utc_now", lambda: later)
    assert shown_links(bob) == {"delete"}
    assert "Shared words" in visible_text(bob.get("/"))
