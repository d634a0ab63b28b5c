"""Anonymous readers get kept pages, and every process notices a change made
by any other on its next request."""
import pytest
import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import WebUser, add_comment
from .test_statement_count import counted_statements


@pytest.fixture
def other(app):
    """Another app on the same database, with a page cache of its own: what a
    second gunicorn worker is."""
    other = create_app({**app.config})
    yield other
    with other.app_context():
        db.engine.dispose()


def comment_texts(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_repeated_anonymous_page_costs_one_statement(app, client, make_user):
    add_comment(app, "Kept", commenter_id=make_user("bob"))
    first = client.get("/?before=1000000")
    with counted_statements(app) as statements:
        again = client.get("/?before=1000000")
    assert again.get_data() == first.get_data()
    assert len(statements) == 1


def test_changes_in_one_process_show_on_the_next_request_in_another(app, other, client,
                                                                    make_user):
    reader_here, reader_there = client, other.test_client()
    add_comment(app, "Old news", commenter_id=make_user("carol"))
    make_user("bob")
    for reader in (reader_here, reader_there):
        assert "Old news" in comment_texts(reader)

    bob = WebUser(app.test_client())
    assert bob.login().status_code == 302
    assert bob.post_comment("Fresh comment").status_code == 302
    assert "Fresh comment" in comment_texts(reader_there)
    assert "Fresh comment" in comment_texts(reader_here)

    result = other.test_cli_runner().invoke(args=["users", "delete", "carol", "--yes"])
    assert result.exit_code == 0, result.output
    for reader in (reader_here, reader_there):
        page = comment_texts(reader)
        assert "by carol" not in page and "Anonymous Coward" in page


def test_a_deleted_comment_disappears_from_every_process(app, other, client, make_user):
    comment_id = add_comment(app, "Regrettable", commenter_id=make_user("bob"))
    reader_there = other.test_client()
    assert "Regrettable" in comment_texts(reader_there)

    bob = WebUser(app.test_client())
    assert bob.login().status_code == 302
    path = f"/comments/{comment_id}/delete"
    assert bob.post_form(path, {}, form_page=path).status_code == 302
    assert "Regrettable" not in comment_texts(reader_there)
    assert "Regrettable" not in comment_texts(client)


def test_logged_in_readers_and_messages_are_never_served_a_kept_page(app, client, make_user):
    make_user("bob")
    add_comment(app, "Hello")
    assert "Log in" in comment_texts(client)
    bob = WebUser(client)
    assert bob.login().status_code == 302
    page = comment_texts(client)
    assert "Post a comment" in page and "Logged in as bob." in page
    assert bob.logout().status_code == 302
    page = comment_texts(client)
    assert "Logged out." in page and "Post a comment" not in page
    assert "Logged out." not in comment_texts(client)


def test_an_account_made_outside_the_orm_ends_the_first_run_notice_everywhere(app, other,
                                                                              client):
    """The first-run page creates the first account with a statement of its
    own; the kept pages still notice."""
    reader_there = other.test_client()
    for reader in (client, reader_there):
        assert "There is no account yet" in comment_texts(reader)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.insert(User).values(username="root", username_key="root",
                                                    password_hash="x"))
    for reader in (client, reader_there):
        assert "There is no account yet" not in comment_texts(reader)
