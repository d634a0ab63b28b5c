"""`flask db upgrade` adopts a database from any stage of the tutorial: tables
made by db.create_all() or stamped by the tutorial's own migration files."""
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from markupsafe import escape
from werkzeug.security import generate_password_hash

from scratchpad import create_app
from scratchpad.config import database_url
from scratchpad.extensions import db

from .engines import ThrowAwayDatabase
from .test_migrations import revisions_oldest_first, schema_differences

pytestmark = pytest.mark.drivers

PROJECT = Path(__file__).resolve().parent.parent
HEAD = revisions_oldest_first()[-1]
UNKNOWN_REVISION = "ae1027a6acf"  # as the tutorial's own `flask db migrate` named one
TUTORIAL_PASSWORD = "tutorial-era password"
COMMENT_ROWS = 300


def tutorial_metadata(stage):
    """The tables as the tutorial's models made them at ``stage`` (1 to 4)."""
    metadata = sa.MetaData()
    comment_columns = [sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("content", sa.String(4096))]
    if stage >= 2:
        comment_columns.append(sa.Column("posted", sa.DateTime))
    if stage >= 3:
        sa.Table("users", metadata,
                 sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("username", sa.String(128)),
                 sa.Column("password_hash", sa.String(128)))
    if stage >= 4:
        comment_columns.append(
            sa.Column("commenter_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True))
    sa.Table("comments", metadata, *comment_columns)
    return metadata


LETTERS = {"utf8mb4": "😀 naïve Ωμέγα", "utf8mb3": "naïve Ωμέγα", "latin1": "naïve café"}


def texts_storable_in(charset):
    """Comments the tutorial's table could have held, in its character set."""
    letters = LETTERS[charset]
    return [
        letters,
        "<script>alert('hi')</script> & <b>bold</b> &amp; \"quoted\"",
        letters[0] * 4096,
        ("x" * 4095) + letters[-1],
        "  spaces either side  ",
        "two\nlines\r\n",
        "",
        None,
    ]


def username_storable_in(charset):
    return LETTERS[charset].split()[-1]


def fill(url, stage, charset="utf8mb4"):
    """Rows as the tutorial's site wrote them, letting the database number
    them: the oldest comments without a time or a commenter, users with
    werkzeug's pbkdf2 hashes of the time. Returns the comments' texts."""
    texts = texts_storable_in(charset)
    comments = [{"content": texts[number % len(texts)]} for number in range(COMMENT_ROWS)]
    if stage >= 2:
        for number, row in enumerate(comments, start=1):
            row["posted"] = (None if number <= 100
                             else datetime(2017, 9, 1, 17, 44) + timedelta(minutes=number))
    engine = sa.create_engine(database_url(url))
    metadata = tutorial_metadata(stage)
    try:
        with engine.begin() as connection:
            metadata.create_all(connection)
            if stage >= 3:
                users = metadata.tables["users"]
                for name in ("admin", "bob", username_storable_in(charset)):
                    connection.execute(users.insert().values(
                        username=name,
                        password_hash=generate_password_hash(TUTORIAL_PASSWORD, "pbkdf2:sha256:50000", 8)))
                ids = connection.scalars(sa.select(users.c.id).order_by(users.c.id)).all()
            if stage >= 4:
                for number, row in enumerate(comments, start=1):
                    row["commenter_id"] = None if number <= 200 else ids[2 - number % 2]
            connection.execute(metadata.tables["comments"].insert(), comments)
    finally:
        engine.dispose()
    return [row["content"] for row in comments]


def execute(url, *statements):
    engine = sa.create_engine(database_url(url))
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()


def stamp_unknown_revision(url):
    execute(url,
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            f"INSERT INTO alembic_version VALUES ('{UNKNOWN_REVISION}')")


def snapshot(url):
    """Every table's columns and rows, for comparing before and after."""
    engine = sa.create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            metadata = sa.MetaData()
            metadata.reflect(connection)
            state = {}
            for name, table in metadata.tables.items():
                order = [column for column in table.columns if column.name in ("id", "version_num")]
                rows = connection.execute(sa.select(table).order_by(*order)).mappings().all()
                state[name] = {
                    "columns": [(column.name, str(column.type)) for column in table.columns],
                    "rows": [dict(row) for row in rows],
                }
            return state
    finally:
        engine.dispose()


def kept_rows(state, table, columns):
    """A snapshot's rows of a table as tuples of those columns (None where
    the table had no such column yet)."""
    return [tuple(row.get(column) for column in columns) for row in state[table]["rows"]]


def flask_db(url, *arguments):
    """`flask --app scratchpad db …` as an operator runs it."""
    environment = dict(os.environ, DATABASE_URL=url, SECRET_KEY="adoption test secret key")
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "scratchpad", "db", *arguments],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=300,
    )


def version_rows(url):
    return [row["version_num"] for row in snapshot(url).get("alembic_version", {"rows": []})["rows"]]


def adopted_app(url):
    return create_app({
        "DATABASE_URL": url, "SECRET_KEY": "adoption test secret key", "TESTING": True,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "COMMENTS_PER_PAGE": COMMENT_ROWS + 1,
    })


def visible_text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_adopted(url, stage, before, texts, output, charset="utf8mb4"):
    """Everything the tutorial's database held is there, at the newest
    revision, and the site shows it and lets its users in."""
    assert f"stamped it 000{stage}" in output
    if stage >= 3:
        assert "make one with `flask --app scratchpad users promote NAME`" in output
    else:
        assert "make the first administrator with the setup link" in output
    assert version_rows(url) == [HEAD]

    after = snapshot(url)
    assert [row["content"] for row in before["comments"]["rows"]] == texts
    comment_columns = ["id", "content", "posted", "commenter_id"]
    assert kept_rows(after, "comments", comment_columns) == kept_rows(before, "comments", comment_columns)
    # Every old comment is a top-level one on show, with no HTML: shown as the text it was.
    assert all(row["parent_id"] is None and row["rendered_html"] is None and not row["is_hidden"]
               and not row["is_held"] for row in after["comments"]["rows"])
    if stage >= 3:
        user_columns = ["id", "username", "password_hash"]
        assert kept_rows(after, "users", user_columns) == kept_rows(before, "users", user_columns)

    app = adopted_app(url)
    with app.app_context():
        assert schema_differences(app) == []
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert str(escape(texts[0])) in page and str(escape(texts[1])) in page
    assert f'<p class="card-text comment-content">{escape(texts[0])}</p>' in page
    assert "at an unknown time by Anonymous Coward" in visible_text(page)
    # The comments it held are indexed for searching, a page of them at a time.
    results = client.get("/search?q=quoted+bold").get_data(as_text=True)
    assert results.count('class="card shadow-sm mb-3 search-result"') == 20
    if stage >= 2:
        author = username_storable_in(charset) if stage >= 4 else "Anonymous Coward"
        assert f"Friday, September 1, 2017, 10:44 PM by {author}" in visible_text(page)
    if stage >= 3:
        name = username_storable_in(charset)
        response = client.post("/login/", data={"username": name, "password": TUTORIAL_PASSWORD},
                               follow_redirects=True)
        assert f"Logged in as {name}." in response.get_data(as_text=True)
        client.post("/", data={"contents": LETTERS["utf8mb4"]})
        newest = snapshot(url)["comments"]["rows"][-1]
        assert newest["id"] == COMMENT_ROWS + 1 and newest["content"] == LETTERS["utf8mb4"]
        assert newest["rendered_html"] == f"<p>{LETTERS['utf8mb4']}</p>\n"
        oldest = before["comments"]["rows"][0]["id"]
        client.post(f"/comments/{oldest}/reply", data={"contents": "A reply to the tutorial"})
        reply = snapshot(url)["comments"]["rows"][-1]
        assert reply["parent_id"] == oldest and reply["content"] == "A reply to the tutorial"
        # As the upgrade's output says, one of them becomes the administrator.
        assert client.get("/admin/users/").status_code == 403
        result = app.test_cli_runner().invoke(args=["users", "promote", name])
        assert result.exit_code == 0, result.output
        assert client.get("/admin/users/").status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_tutorial_database_without_history_is_adopted(empty_database, stage):
    texts = fill(empty_database.url, stage)
    before = snapshot(empty_database.url)

    result = flask_db(empty_database.url, "upgrade")

    assert result.returncode == 0, result.stderr
    assert "The database has no migration history" in result.stderr
    assert_adopted(empty_database.url, stage, before, texts, result.stderr)


@pytest.mark.slow
@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_tutorial_database_stamped_by_unknown_migrations_is_adopted(empty_database, stage):
    texts = fill(empty_database.url, stage)
    stamp_unknown_revision(empty_database.url)
    before = snapshot(empty_database.url)

    result = flask_db(empty_database.url, "upgrade")

    assert result.returncode == 0, result.stderr
    assert f"stamped with revision {UNKNOWN_REVISION}, which this project does not know" in result.stderr
    assert_adopted(empty_database.url, stage, before, texts, result.stderr)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mysql-pymysql", "mysql-connector"])
@pytest.mark.parametrize("charset", ["utf8mb3", "latin1"])
def test_mysql_tables_in_an_older_character_set_become_utf8mb4(engine, charset, tmp_path_factory):
    database = ThrowAwayDatabase(engine, tmp_path_factory, mysql_charset=charset)
    try:
        texts = fill(database.url, 4, charset)
        before = snapshot(database.url)
        assert table_collations(database) != {"utf8mb4_unicode_ci"}

        result = flask_db(database.url, "upgrade")

        assert result.returncode == 0, result.stderr
        assert table_collations(database) == {"utf8mb4_unicode_ci"}
        assert_adopted(database.url, 4, before, texts, result.stderr, charset)
    finally:
        database.drop()


def table_collations(database):
    """The collations of the tables and their text columns, but for the
    username key, which is compared byte for byte on purpose (utf8mb4_bin)."""
    engine = sa.create_engine(database_url(database.url))
    try:
        with engine.connect() as connection:
            return set(connection.scalars(sa.text(
                "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                " AND TABLE_NAME IN ('comments', 'users')"
                " UNION SELECT COLLATION_NAME FROM information_schema.COLUMNS"
                " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('comments', 'users')"
                " AND COLLATION_NAME IS NOT NULL AND COLUMN_NAME != 'username_key'")))
    finally:
        engine.dispose()


def test_empty_database_gets_everything_built(empty_database):
    result = flask_db(empty_database.url, "upgrade")

    assert result.returncode == 0, result.stderr
    assert "stamped" not in result.stderr
    assert version_rows(empty_database.url) == [HEAD]
    app = adopted_app(empty_database.url)
    with app.app_context():
        assert schema_differences(app) == []
        db.engine.dispose()


def test_database_at_a_revision_of_ours_is_upgraded_as_usual(empty_database):
    assert flask_db(empty_database.url, "upgrade", "0003").returncode == 0
    execute(empty_database.url, "INSERT INTO comments (id, content) VALUES (1, 'kept')")

    result = flask_db(empty_database.url, "upgrade")

    assert result.returncode == 0, result.stderr
    assert "stamped" not in result.stderr and "Running upgrade 0003 -> 0004" in result.stderr
    assert version_rows(empty_database.url) == [HEAD]
    assert kept_rows(snapshot(empty_database.url), "comments", ["id", "content"]) == [(1, "kept")]
    assert "kept" in adopted_app(empty_database.url).test_client().get("/").get_data(as_text=True)


def test_only_upgrade_adopts(empty_database):
    fill(empty_database.url, 2)
    before = snapshot(empty_database.url)

    result = flask_db(empty_database.url, "current")

    assert result.returncode == 0, result.stderr
    assert snapshot(empty_database.url) == before


def comments_and_users_without_password_hash(url):
    execute(url,
            "CREATE TABLE comments (id INTEGER PRIMARY KEY, content VARCHAR(4096), posted TIMESTAMP)",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(128))",
            "INSERT INTO comments (id, content) VALUES (1, 'kept')",
            "INSERT INTO users (id, username) VALUES (1, 'bob')")


def comments_without_content(url):
    execute(url, "CREATE TABLE comments (id INTEGER PRIMARY KEY)",
            "INSERT INTO comments (id) VALUES (1)")


def comments_too_narrow(url):
    execute(url, "CREATE TABLE comments (id INTEGER PRIMARY KEY, content VARCHAR(1024))",
            "INSERT INTO comments (id, content) VALUES (1, 'kept')")


def comments_with_an_extra_column_stamped_unknown(url):
    execute(url, "CREATE TABLE comments (id INTEGER PRIMARY KEY, content VARCHAR(4096), likes INTEGER)",
            "INSERT INTO comments (id, content, likes) VALUES (1, 'kept', 3)")
    stamp_unknown_revision(url)


def first_stage_with_users_in_the_way(url):
    fill(url, 1)
    execute(url, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40))")


@pytest.mark.parametrize("make_tables, difference", [
    (comments_and_users_without_password_hash, "users has no column password_hash"),
    (comments_without_content, "comments has no column content"),
    (comments_too_narrow, "comments.content is VARCHAR(1024), not VARCHAR(4096)"),
    (comments_with_an_extra_column_stamped_unknown, "comments has a column likes the tutorial never made"),
    (first_stage_with_users_in_the_way, "table users does not belong at this stage"),
])
def test_unrecognised_shape_is_refused_and_left_unchanged(empty_database, make_tables, difference):
    make_tables(empty_database.url)
    before = snapshot(empty_database.url)

    result = flask_db(empty_database.url, "upgrade")

    assert result.returncode == 1
    assert "match no stage of the tutorial, so it was left unchanged" in result.stderr
    assert difference in result.stderr
    assert "Running upgrade" not in result.stderr
    assert snapshot(empty_database.url) == before
