"""The board costs a fixed number of SQL statements, whatever the page size,
the page's depth, however many replies its threads have and however many
people wrote them."""
import contextlib
import re

import pytest
import sqlalchemy as sa

from scratchpad.accounts.passwords import hash_password
from scratchpad.extensions import db
from scratchpad.models import Comment, User

from .helpers import WebUser

pytestmark = pytest.mark.engines

# Who is reading (or the board's version, for anonymous readers), the page
# of top-level comments and all their replies with their authors, and
# whether there are comments on the page's other side.
MAX_STATEMENTS_PER_PAGE = 3
COMMENTS = 120
COMMENTERS = 60
REPLIES_PER_THREAD = 3


@pytest.fixture
def board(app, make_user):
    """COMMENTS comments by COMMENTERS people (and none by bob, who reads),
    each with REPLIES_PER_THREAD replies: the top-level comments' ids, oldest first."""
    make_user("bob")
    with app.app_context():
        # Nobody logs in as these: one hash for all saves a password hashing each.
        unused_hash = hash_password("not a password anyone uses")
        db.session.execute(sa.insert(User), [
            {"username": f"writer{number}", "username_key": f"writer{number}",
             "password_hash": unused_hash}
            for number in range(COMMENTERS)
        ])
        writers = db.session.scalars(
            sa.select(User.id).where(User.username.like("writer%")).order_by(User.id)
        ).all()
        db.session.execute(sa.insert(Comment), [
            {"content": f"Comment {number}", "commenter_id": writers[number % COMMENTERS]}
            for number in range(COMMENTS)
        ])
        threads = db.session.scalars(sa.select(Comment.id).order_by(Comment.id)).all()
        db.session.execute(sa.insert(Comment), [
            {"content": f"Reply {number} to {thread}", "parent_id": thread,
             "commenter_id": writers[(thread + number) % COMMENTERS]}
            for thread in threads for number in range(REPLIES_PER_THREAD)
        ])
        db.session.commit()
        return threads


@contextlib.contextmanager
def counted_statements(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def shown_comments(page):
    """The top-level comments on a page."""
    return re.findall(r'class="card shadow-sm mb-3 comment[^"]*" id="comment-(\d+)"', page)


def shown_replies(page):
    return re.findall(r'class="comment reply[^"]*" id="comment-(\d+)"', page)


@pytest.mark.parametrize("per_page", [10, 50, COMMENTS])
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
@pytest.mark.parametrize("opened_first", ["first", "deep", "after"])
def test_every_page_costs_at_most_three_statements(app, client, board, per_page, logged_in,
                                                   opened_first):
    """Whichever page a new process serves first (its first request also
    finds out whether the site has any account yet)."""
    app.config["COMMENTS_PER_PAGE"] = per_page
    if logged_in:
        assert WebUser(client).login().status_code == 302
    pages = {
        "first": "/",
        "deep": f"/?before={board[5]}",
        "after": f"/?after={board[5]}",
    }
    order = [opened_first] + [name for name in pages if name != opened_first]
    for name in order:
        path = pages[name]
        with counted_statements(app) as statements:
            response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert shown_comments(page), name
        assert len(shown_replies(page)) == REPLIES_PER_THREAD * len(shown_comments(page)), name
        # Each comment and reply names its writer, loaded within the budget.
        writers = re.findall(r"</a> by (writer\d+)", page)  # the "Posted … by" lines
        assert len(writers) == len(shown_comments(page)) + len(shown_replies(page)), name
        assert len(statements) <= MAX_STATEMENTS_PER_PAGE, (name, statements)


def test_a_page_costs_the_same_with_a_thousand_replies(app, client, board):
    with app.app_context():
        db.session.execute(sa.insert(Comment), [
            {"content": f"Another reply {number}", "parent_id": board[-1]}
            for number in range(1000)
        ])
        db.session.commit()
    app.config["COMMENTS_PER_PAGE"] = 10
    with counted_statements(app) as statements:
        page = client.get("/").get_data(as_text=True)
    assert len(shown_replies(page)) == 1000 + 10 * REPLIES_PER_THREAD
    assert len(statements) <= MAX_STATEMENTS_PER_PAGE


def test_replies_come_oldest_first_under_their_thread(app, client, board):
    app.config["COMMENTS_PER_PAGE"] = 1
    page = client.get("/").get_data(as_text=True)
    thread = board[-1]
    assert re.findall(r"Reply (\d+) to " + str(thread), page) == ["0", "1", "2"]
    assert "Anonymous Coward" not in page


def test_pages_show_the_expected_comments(app, client, board):
    """The statement budget is not met by showing less."""
    app.config["COMMENTS_PER_PAGE"] = 50
    newest_first = [str(comment_id) for comment_id in reversed(board)]
    assert shown_comments(client.get("/").get_data(as_text=True)) == newest_first[:50]
    deep = client.get(f"/?before={board[5]}").get_data(as_text=True)
    assert shown_comments(deep) == newest_first[-5:]
    after = client.get(f"/?after={board[5]}").get_data(as_text=True)
    assert shown_comments(after) == newest_first[-56:-6]
