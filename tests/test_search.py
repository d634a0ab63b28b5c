"""Searching the comments (/search?q=) on every engine: every word must be
in a comment, newest first, a page at a time; the words are marked in
escaped text; hidden and held comments stay with those who may read them;
the index follows posts, edits, deletions, migrations, restores and imports;
and nothing typed makes a 500."""
import json
import re

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratchpad import create_app
from scratchpad.board.formatting import render
from scratchpad.extensions import db
from scratchpad.models import Comment, utc_now
from scratchpad.search import engines, views

from .helpers import WebUser, add_comment, visible_text

pytestmark = pytest.mark.engines

RESULT = re.compile(r'id="result-(\d+)"')


@pytest.fixture(autouse=True)
def small_recent_window(monkeypatch):
    """On MariaDB/MySQL and PostgreSQL the newest comments before a page are
    matched one by one and the older ones through the full-text index: with a
    window of two comments, every search here takes both ways."""
    monkeypatch.setattr(engines, "RECENT_WINDOW", 2)
    monkeypatch.setattr(engines, "POSTGRESQL_RECENT_WINDOW", 2)


def search(client, q, **arguments):
    response = client.get("/search", query_string={"q": q, **arguments})
    return response, [int(found) for found in RESULT.findall(response.get_data(as_text=True))]


def found(client, q, **arguments):
    response, ids = search(client, q, **arguments)
    assert response.status_code == 200, visible_text(response)
    return ids


def is_mysql(database):
    return database.engine_name.startswith("mysql")


def test_comments_with_every_word_newest_first(app, client, database):
    fox = add_comment(app, "The quick brown fox", posted=utc_now())
    dog = add_comment(app, "A QUICK brown dog; no fox", posted=utc_now())
    slow = add_comment(app, "Slow brown tortoise", posted=utc_now())
    add_comment(app, "quick", posted=utc_now())
    site = add_comment(app, "See example.com or mail bob@example.org", posted=utc_now())
    coffee = add_comment(app, "Un café noir", posted=utc_now())

    assert found(client, "quick brown") == [dog, fox]
    assert found(client, "brown") == [slow, dog, fox]
    assert found(client, "Fox QUICK") == [dog, fox]
    assert found(client, "quick-brown fox!") == [dog, fox]  # punctuation only separates words
    assert found(client, "brown hare") == []
    assert found(client, "example") == [site]
    assert found(client, "bob example org") == [site]
    assert found(client, "café") == [coffee]
    # Accents are ignored, except by PostgreSQL's 'simple' configuration.
    assert found(client, "CAFE") == ([] if database.engine_name == "postgresql" else [coffee])
    page = client.get("/search?q=brown+hare")
    assert "No comments contain all of those words." in visible_text(page)


def test_a_word_common_among_the_newest_comments_and_a_rare_one(app, client, monkeypatch):
    monkeypatch.setattr(engines, "COMMON_IN_WINDOW", 2)
    both = add_comment(app, "alpha and beta", posted=utc_now())
    add_comment(app, "alpha and gamma", posted=utc_now())
    newest = [add_comment(app, f"alpha number {number}", posted=utc_now()) for number in range(3)]
    # On MariaDB/MySQL: "alpha" is common among the newest two, "beta" is not.
    assert found(client, "beta alpha") == [both]
    assert found(client, "alpha gamma beta") == []
    assert found(client, "alpha") == [*reversed(newest), both + 1, both]


def test_results_link_to_their_comments_and_say_who_posted_them(app, client, make_user):
    bob = make_user("bob")
    root = add_comment(app, "Thread about kites", posted=utc_now(), commenter_id=bob)
    reply = add_comment(app, "Kites fly", posted=utc_now(), parent_id=root)
    response, ids = search(client, "kites")
    assert ids == [reply, root]
    html = response.get_data(as_text=True)
    assert f'href="/comments/{reply}"' in html and f'href="/comments/{root}"' in html
    text = visible_text(response)
    assert "Reply posted" in text and "by Anonymous Coward" in text and "by bob" in text
    assert client.get(f"/comments/{reply}").status_code == 200


def snippet_of(response):
    match = re.search(r'<p class="card-text search-snippet">(.*?)</p>',
                      response.get_data(as_text=True), re.S)
    return match.group(1)


def test_words_are_marked_in_escaped_text(app, client):
    text = '**Bold** <script>alert("x")</script> & <b>tags</b> [link](https://example.com) quick'
    add_comment(app, text, rendered_html=render(text), posted=utc_now())
    snippet = snippet_of(client.get("/search?q=quick+script+bold"))
    assert snippet == ('<mark>Bold</mark> &lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/'
                       '<mark>script</mark>&gt; &amp; &lt;b&gt;tags&lt;/b&gt; link '
                       '<mark>quick</mark>')

    plain = '<img src=x onerror=alert(1)> needle'  # from before formatting: shown as text
    add_comment(app, plain, posted=utc_now())
    snippet = snippet_of(client.get("/search?q=needle"))
    assert snippet == '&lt;img src=x onerror=alert(1)&gt; <mark>needle</mark>'


def test_a_long_comment_shows_the_stretch_around_the_first_word(app, client):
    text = "filler " * 200 + "the needle is here " + "tail " * 200
    add_comment(app, text, rendered_html=render(text), posted=utc_now())
    snippet = snippet_of(client.get("/search?q=NEEDLE"))
    assert snippet.startswith("… filler ") and snippet.endswith(" tail …")
    assert "<mark>needle</mark> is here" in snippet
    assert len(snippet) < 300


def test_older_results_come_by_cursor(app, client):
    ids = [add_comment(app, f"match number {number}", posted=utc_now()) for number in range(25)]
    add_comment(app, "no such thing", posted=utc_now())
    response, first = search(client, "match")
    assert first == list(reversed(ids))[:views.RESULTS_PER_PAGE]
    older = re.search(r'href="(/search\?[^"]+)"[^>]*>Older results',
                      response.get_data(as_text=True)).group(1)
    assert older.replace("&amp;", "&") == f"/search?q=match&before={first[-1]}"
    response = client.get(older.replace("&amp;", "&"))
    assert [int(i) for i in RESULT.findall(response.get_data(as_text=True))] == \
        list(reversed(ids))[views.RESULTS_PER_PAGE:]
    assert "Older results" not in response.get_data(as_text=True)
    assert found(client, "match", before=ids[0]) == []
    assert client.get("/search?q=match&before=2147483648").status_code == 400  # as on the board
    assert found(client, "match", before=2147483647) == first
    assert "No older comments contain that word." in visible_text(
        client.get(f"/search?q=match&before={ids[0]}"))
    for cursor in ("x", "-1", "1.5", "9" * 19):
        assert client.get(f"/search?q=match&before={cursor}").status_code == 400


def test_edits_and_deletions_change_what_is_found(app, make_user):
    make_user("bob")
    bob = WebUser(app.test_client())
    bob.login("bob")
    assert bob.post_comment("an original sentence").status_code == 302
    (comment,) = found(bob.client, "original")
    assert bob.post_form(f"/comments/{comment}/reply", {"contents": "a reply in the thread"},
                         form_page="/").status_code == 302
    (reply,) = found(bob.client, "thread")

    assert bob.post_form(f"/comments/{comment}/edit", {"contents": "a rewritten sentence"},
                         form_page=f"/comments/{comment}/edit").status_code == 302
    assert found(bob.client, "original") == []
    assert found(bob.client, "rewritten sentence") == [comment]

    assert bob.post_form(f"/comments/{comment}/delete", {},
                         form_page=f"/comments/{comment}/delete").status_code == 302
    assert found(bob.client, "rewritten") == []
    assert found(bob.client, "thread") == []  # its reply went with it
    assert found(bob.client, "sentence") == []
    assert reply not in found(bob.client, "reply")


def test_hidden_and_held_comments_only_for_those_who_read_them(app, client, make_user):
    ids = {name: make_user(name, is_admin=name == "root") for name in ("bob", "carol", "root")}
    public = add_comment(app, "secret plan, public", posted=utc_now(), commenter_id=ids["carol"])
    hidden = add_comment(app, "secret plan, hidden", posted=utc_now(), commenter_id=ids["bob"],
                         is_hidden=True)
    held = add_comment(app, "secret plan, held", posted=utc_now(), commenter_id=ids["carol"],
                       is_held=True)
    readers = {"anonymous": client}
    for name in ids:
        readers[name] = WebUser(app.test_client())
        assert readers[name].login(name).status_code == 302
        readers[name] = readers[name].client

    assert found(readers["anonymous"], "secret plan") == [public]
    assert found(readers["bob"], "secret plan") == [hidden, public]
    assert found(readers["carol"], "secret plan") == [held, public]
    assert found(readers["root"], "secret plan") == [held, hidden, public]
    assert found(readers["anonymous"], "hidden") == [] and found(readers["carol"], "hidden") == []
    text = visible_text(readers["root"].get("/search?q=secret"))
    assert "Waiting for approval" in text and "Hidden by a moderator" in text


def test_words_the_index_cannot_hold_are_left_out(app, client, database):
    cat = add_comment(app, "the cat is here", posted=utc_now())
    long_word = "x" * 90
    with_long_word = add_comment(app, f"{long_word} and a cat", posted=utc_now())
    # On MariaDB/MySQL "is" is left out, so "cat" alone is searched for.
    assert found(client, "cat is") == ([with_long_word, cat] if is_mysql(database) else [cat])
    # MariaDB/MySQL index words of up to 84 characters (innodb_ft_max_token_size).
    assert found(client, f"cat {long_word}") == (
        [with_long_word, cat] if is_mysql(database) else [with_long_word])
    response, ids = search(client, "is")
    assert response.status_code == 200
    if is_mysql(database):
        # Too short ("is" under innodb_ft_min_token_size) or a stop word: the
        # FULLTEXT index does not hold it, so it is not searched for at all.
        assert ids == []
        text = visible_text(response)
        assert "Left out of the search, as too short or too common for this board's index: is " \
            in text
        assert "No comments can be found by that word alone." in text
        assert found(client, "the") == []
    else:
        assert ids == [cat]
        assert found(client, "the") == [cat]


# What a search box may be sent: operators of every engine's query language,
# quotes, and what no box sends. (status, whether the fox is found)
ODD_SEARCHES = [
    ("", 200, False), ("   ", 200, False), ('"', 200, False), ('""', 200, False),
    ('"fox', 200, True), ('fox"', 200, True), ("'fox", 200, True), ("*", 200, False),
    ("fox*", 200, True), ("*fox", 200, True), ("NEAR", 200, False),
    ("NEAR(quick fox)", 200, False), ("NEAR/2", 200, False), ("-", 200, False),
    ("-fox", 200, True), ("quick -fox", 200, True), ("AND", 200, False),
    ("quick AND fox", 200, False), ("quick OR hare", 200, False), ("NOT", 200, False),
    ("+", 200, False), ("+quick +fox", 200, True), ("~fox", 200, True), ("(fox", 200, True),
    (")", 200, False), ("@", 200, False), ("@fox", 200, True), ("fox@", 200, True),
    ("\\", 200, False), ("%", 200, False), ("%fox%", 200, True), ("_", 200, False),
    ("^fox", 200, True), ("{fox}", 200, True), ("[fox]", 200, True), ("fox:quick", 200, True),
    ("content:fox", 200, False), ("fox;", 200, True), ("fox'; DROP TABLE comments; --", 200, False),
    ("<>&!|:*'", 200, False), ("quick & fox", 200, True), ("quick | fox", 200, True),
    ("!fox", 200, True), ("fox:*", 200, True), ("\u200b", 200, False), ("😀", 200, False),
    ("\ufffd", 200, False), ("quick " * 30 + "fox", 200, True), ("x" * 200, 200, False),
    ("x" * 201, 400, False), ("fox " * 60, 400, False), ("fox\x00", 400, False),
    ("\x00", 400, False),
]


@pytest.mark.parametrize("q, status, finds_the_fox", ODD_SEARCHES)
def test_odd_searches_get_a_page_never_an_error(app, client, q, status, finds_the_fox):
    app.config["PROPAGATE_EXCEPTIONS"] = True
    fox = add_comment(app, "The quick brown fox", posted=utc_now())
    response, ids = search(client, q)
    assert response.status_code == status, visible_text(response)
    assert ids == ([fox] if finds_the_fox else [])
    if status == 400:
        assert "alert-danger" in response.get_data(as_text=True)
    assert "\x00" not in response.get_data(as_text=True)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
       | st.lists(st.sampled_from(['"', "*", "NEAR", "-", "+", "AND", "OR", "NOT", "(", ")",
                                   "fox", "quick", ":", "^", "~", "@", "<", ">", "'", "\\",
                                   "\x00", " "]), max_size=12).map("".join))
def test_any_search_gets_a_page(app, client, q):
    app.config["PROPAGATE_EXCEPTIONS"] = True  # a crash fails the test
    with app.app_context():
        if db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0:
            db.session.add(Comment(content="The quick brown fox", posted=utc_now()))
            db.session.commit()
    response, ids = search(client, q)
    # Only a NUL character is refused: none of these is over 200 characters.
    assert response.status_code == (400 if "\x00" in q else 200)
    assert len(ids) <= 1


def test_the_search_box_is_on_every_page(app, client):
    add_comment(app, "The quick brown fox", posted=utc_now())
    for path in ("/", "/login/", "/search"):
        html = client.get(path).get_data(as_text=True)
        assert '<form class="navbar-search d-flex" action="/search" method="get" role="search">' \
            in html
        assert '<label class="visually-hidden" for="navbar-search-q">' in html
    html = client.get("/search?q=%22brown%22+%3Cfox%3E").get_data(as_text=True)
    assert 'id="navbar-search-q" name="q" placeholder="Search comments" ' \
        'value="&#34;brown&#34; &lt;fox&gt;"' in html
    assert 'value="&#34;brown&#34; &lt;fox&gt;"' in html.split("search-page-q", 1)[1]


def test_search_pages_are_never_kept(app, client):
    assert app.config["BOARD_PAGE_CACHE"]
    first = add_comment(app, "fresh news", posted=utc_now())
    assert found(client, "news") == [first]
    second = add_comment(app, "more news", posted=utc_now())
    response, ids = search(client, "news")
    assert ids == [second, first]
    assert "ETag" not in response.headers


def test_crawlers_are_asked_not_to_search(client):
    assert "Disallow: /search" in client.get("/robots.txt").get_data(as_text=True).splitlines()


def test_searches_are_limited_per_address(app, database):
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True,
                          "SEARCH_LIMITS_PER_ADDRESS": "3 per minute"})
    client = limited.test_client()
    try:
        for _ in range(3):
            assert client.get("/search?q=fox").status_code == 200
        refused = client.get("/search?q=fox")
        assert refused.status_code == 429
        assert "There have been too many searches from your address." in visible_text(refused)
        assert client.get("/").status_code == 200  # reading the board is not counted
    finally:
        with limited.app_context():
            db.engine.dispose()


INDEX_OBJECTS = {
    "sqlite": {"comments_search", "comments_search_insert", "comments_search_update",
               "comments_search_delete"},
    "mysql": {"ix_comments_search"},
    "postgresql": {"ix_comments_search"},
}


def index_objects(connection):
    """The search index's objects in the database, by name."""
    if connection.dialect.name == "sqlite":
        return set(connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name = 'comments_search' "
            "OR (type = 'trigger' AND tbl_name = 'comments')").scalars())
    return {index["name"] for index in sa.inspect(connection).get_indexes("comments")
            if index["name"] == "ix_comments_search"}


def test_the_migration_indexes_the_comments_already_there_and_goes_back(empty_database):
    app = create_app({"DATABASE_URL": empty_database.url, "SECRET_KEY": "x" * 32,
                      "TESTING": True, "RATELIMIT_ENABLED": False})
    client = app.test_client()  # each request in an app context of its own
    try:
        with app.app_context():
            upgrade(revision="0016")
            comments = sa.table("comments", sa.column("content", sa.String))
            with db.engine.begin() as connection:
                connection.execute(sa.insert(comments), [{"content": "older comment one"},
                                                         {"content": "older comment two"}])
            upgrade()
            with db.engine.connect() as connection:
                assert index_objects(connection) == INDEX_OBJECTS[connection.dialect.name]
                ids = list(connection.execute(
                    sa.text("SELECT id FROM comments ORDER BY id DESC")).scalars())
        assert found(client, "older comment") == ids
        assert found(client, "two") == ids[:1]

        with app.app_context():
            downgrade(revision="0016")
            with db.engine.connect() as connection:
                assert index_objects(connection) == set()
                assert connection.execute(sa.text("SELECT COUNT(*) FROM comments")).scalar() == 2
                assert not [name for name in sa.inspect(connection).get_table_names()
                            if name.startswith("comments_search")]
            upgrade()
        assert found(client, "older comment") == ids
    finally:
        with app.app_context():
            db.engine.dispose()


def run(app, *arguments):
    result = app.test_cli_runner().invoke(args=list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def test_restored_and_imported_boards_are_searchable(app, client, tmp_path):
    kept = add_comment(app, "kept by the backup", posted=utc_now())
    backup, export = tmp_path / "backup", tmp_path / "board.jsonl"
    run(app, "backup", str(backup))
    run(app, "export", str(export))
    header = json.loads(export.read_text().splitlines()[0])
    assert set(header["rows"]) == {"users", "comments", "comment_revisions", "comment_reports",
                                   "site_settings"}
    assert "comments_search" not in export.read_text()

    later = add_comment(app, "posted after the backup", posted=utc_now())
    assert found(client, "backup") == [later, kept]
    run(app, "restore", "--replace", str(backup))
    assert found(client, "backup") == [kept]
    assert found(client, "posted after") == []

    with app.app_context():
        db.session.execute(sa.delete(Comment))
        db.session.commit()
    assert found(client, "backup") == []
    run(app, "import", str(export))
    assert found(client, "kept backup") == [kept]
    new = add_comment(app, "new after the import", posted=utc_now())
    assert found(client, "after") == [new]
