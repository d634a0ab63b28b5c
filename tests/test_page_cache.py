"""Anonymous readers get kept pages, and every process notices a change made
by any other on its next request."""
import pytest
import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import BoardVersion, Comment, User

from .helpers import WebUser, add_comment, newest_comment_id
from .test_statement_count import counted_statements

pytestmark = pytest.mark.engines


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


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_query_strings_a_page_does_not_read_make_no_kept_pages(app, client, make_user):
    comment_id = add_comment(app, "Kept", commenter_id=make_user("bob"))
    client.get("/")
    for number in range(100):  # more than the pages a process keeps
        answer = client.get(f"/?utm_source={number}")
        assert answer.status_code == 301 and answer.headers["Location"] == "/"
    with counted_statements(app) as statements:
        assert "Kept" in comment_texts(client)
    assert len(statements) == 1  # still kept
    for variant, own in [("/?before=0005", "/?before=5"), ("/?before=5&before=6", "/?before=5"),
                         ("/?after=5&ref=feed", "/?after=5"), ("/?before=5&", "/?before=5"),
                         (f"/comments/{comment_id}?x=1", f"/comments/{comment_id}")]:
        answer = client.get(variant)
        assert (answer.status_code, answer.headers["Location"]) == (301, own), variant
    bob = WebUser(app.test_client())
    assert bob.login("bob").status_code == 302
    assert bob.client.get("/?utm_source=mail").headers["Location"] == "/"
    assert client.get("/?before=x").status_code == 400


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


def test_a_bulk_statement_through_the_session_refreshes_the_kept_page(app, other, client):
    comment_id = add_comment(app, "Before the bulk change")
    reader_there = other.test_client()
    for reader in (client, reader_there):
        assert "Before the bulk change" in comment_texts(reader)
    with app.app_context():
        db.session.execute(sa.update(Comment).where(Comment.id == comment_id)
                           .values(content="After the bulk change"))
        db.session.commit()
    for reader in (client, reader_there):
        assert "After the bulk change" in comment_texts(reader)


def orm_edit(app, tmp_path):
    with app.app_context():
        db.session.get(Comment, newest_comment_id(app)).content = "Changed by the ORM"
        db.session.commit()
    return "Changed by the ORM"


def core_edit_on_a_connection_of_its_own(app, tmp_path):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.update(Comment.__table__).values(content="Changed by Core"))
    return "Changed by Core"


def rename_on_the_command_line(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["users", "rename", "bob", "robert"])
    assert result.exit_code == 0, result.output
    return "robert"


def restore_an_older_backup(app, tmp_path):
    orm_edit(app, tmp_path)
    return "As it was saved"


def import_into_an_emptied_board(app, tmp_path):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.delete(Comment.__table__))
        connection.execute(sa.delete(User.__table__))
    return "As it was saved"


@pytest.mark.parametrize("write", [orm_edit, core_edit_on_a_connection_of_its_own,
                                   rename_on_the_command_line, restore_an_older_backup,
                                   import_into_an_emptied_board])
def test_every_write_path_refreshes_the_kept_pages(app, other, client, make_user, tmp_path,
                                                   write):
    add_comment(app, "As it was saved", commenter_id=make_user("bob"))
    saved = tmp_path / "board.jsonl"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["export", str(saved)]).exit_code == 0
    readers = (client, other.test_client())
    etags = [reader.get("/").headers["ETag"] for reader in readers]

    expected = write(app, tmp_path)
    if write is restore_an_older_backup:
        assert all("Changed by the ORM" in comment_texts(reader) for reader in readers)
        etags = [reader.get("/").headers["ETag"] for reader in readers]
        result = runner.invoke(args=["restore", "--replace", str(saved)])
        assert result.exit_code == 0, result.output
    if write is import_into_an_emptied_board:
        assert all("As it was saved" not in comment_texts(reader) for reader in readers)
        etags = [reader.get("/").headers["ETag"] for reader in readers]
        result = runner.invoke(args=["import", str(saved)])
        assert result.exit_code == 0, result.output

    for reader, etag in zip(readers, etags):
        page = reader.get("/", headers={"If-None-Match": etag})
        assert page.status_code == 200 and page.headers["ETag"] != etag
        assert expected in page.get_data(as_text=True)


def test_without_the_page_cache_writes_leave_the_board_version_alone(app, make_user):
    uncached = create_app({**app.config, "BOARD_PAGE_CACHE": False})
    with uncached.app_context():
        version = db.session.scalar(sa.select(BoardVersion.version))
        db.session.add(Comment(content="Not counted"))
        db.session.commit()
        assert db.session.scalar(sa.select(BoardVersion.version)) == version
        db.engine.dispose()


def test_replies_edits_hiding_and_approvals_show_in_every_process(app, other, client, make_user):
    """Each change to a thread shows on the next anonymous request, in this
    process and another, on the board and on the comment's own page."""
    make_user("bob")
    make_user("root", is_admin=True)
    app.config["HOLD_NEW_ACCOUNTS"] = 2
    reader_there = other.test_client()
    bob, root = WebUser(app.test_client()), WebUser(app.test_client())
    bob.login()
    root.login("root")
    root.post_comment("The topic")
    topic = newest_comment_id(app)
    pages = ["/", f"/comments/{topic}"]

    def shown_everywhere(text):
        return all(text in comment_texts(reader, path)
                   for reader in (client, reader_there) for path in pages)

    def shown_nowhere(text):
        return not any(text in comment_texts(reader, path)
                       for reader in (client, reader_there) for path in pages)

    assert shown_everywhere("The topic")
    bob.post_form(f"/comments/{topic}/reply", {"contents": "A held reply"}, form_page="/")
    held = newest_comment_id(app)
    assert shown_nowhere("A held reply")
    root.post_form(f"/admin/comments/{held}/approve", {}, form_page="/")
    assert shown_everywhere("A held reply")

    bob.post_form(f"/comments/{held}/edit", {"contents": "An edited reply"}, form_page="/")
    assert shown_everywhere("An edited reply") and shown_nowhere("A held reply")

    root.post_form(f"/admin/comments/{held}/hide", {}, form_page="/")
    assert shown_everywhere("hidden by a moderator") and shown_nowhere("An edited reply")
    root.post_form(f"/admin/comments/{held}/restore", {}, form_page="/")
    assert shown_everywhere("An edited reply") and shown_nowhere("hidden by a moderator")

    result = other.test_cli_runner().invoke(args=["comments", "rerender", "--all"])
    assert result.exit_code == 0, result.output
    assert shown_everywhere("An edited reply")
