"""`flask db upgrade` never stops half-way: rows a later step cannot take are
named before anything changes, and on PostgreSQL and SQLite a step that fails
anyway leaves the database at the revision it started from."""
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from scratchpad import create_app
from scratchpad.config import database_url
from scratchpad.extensions import db

from .engines import ThrowAwayDatabase
from .test_adoption import execute, fill, flask_db, snapshot, version_rows

pytestmark = [pytest.mark.slow, pytest.mark.engines]


def users_named(url, *names):
    engine = sa.create_engine(database_url(url))
    try:
        with engine.begin() as connection:
            for name in names:
                connection.execute(sa.text(
                    "INSERT INTO users (username, password_hash) VALUES (:name, 'pbkdf2:x')"),
                    {"name": name})
    finally:
        engine.dispose()


def assert_refused_unchanged(url, before, *expected):
    result = flask_db(url, "upgrade")
    assert result.returncode == 1, result.stderr
    assert "The database was left unchanged" in result.stderr
    assert 'section "When things go wrong: rows in the way of an upgrade"' in result.stderr
    for text in expected:
        assert text in result.stderr
    assert "Running upgrade" not in result.stderr
    assert snapshot(url) == before
    return result


def test_latin1_usernames_that_collide_under_utf8mb4_are_named_and_nothing_changes(
        tmp_path_factory):
    database = ThrowAwayDatabase("mysql-pymysql", tmp_path_factory, mysql_charset="latin1")
    try:
        fill(database.url, 4, "latin1")
        execute(database.url, "INSERT INTO users (id, username, password_hash)"
                              " VALUES (10, 'muller', 'pbkdf2:x'), (11, 'müller', 'pbkdf2:x')")
        before = snapshot(database.url)
        assert_refused_unchanged(database.url, before, "'muller': users.id 10, 11",
                                 "utf8mb4_unicode_ci")
        assert version_rows(database.url) == []

        execute(database.url, "UPDATE users SET username = 'mueller' WHERE id = 11")
        result = flask_db(database.url, "upgrade")
        assert result.returncode == 0, result.stderr
        names = {row["username"] for row in snapshot(database.url)["users"]["rows"]}
        assert {"muller", "mueller"} <= names
    finally:
        database.drop()


def test_duplicate_usernames_are_named_and_nothing_changes(empty_database):
    fill(empty_database.url, 3)
    execute(empty_database.url, "INSERT INTO users (id, username, password_hash)"
                                " VALUES (20, 'bob', 'pbkdf2:x'), (21, NULL, 'pbkdf2:x')")
    before = snapshot(empty_database.url)
    assert_refused_unchanged(empty_database.url, before, "usernames used by more than one account",
                             "'bob': users.id 2, 20", "without a username", "users.id 21")


@pytest.mark.parametrize("empty_database", ["sqlite"], indirect=True)
def test_orphaned_commenters_and_long_names_are_named(empty_database):
    """SQLite kept neither the tutorial's foreign key nor its lengths."""
    fill(empty_database.url, 4)
    execute(empty_database.url,
            "INSERT INTO comments (id, content, commenter_id) VALUES (999, 'orphan', 77)",
            "INSERT INTO users (id, username, password_hash) VALUES (30, '" + "n" * 129 + "', 'x')")
    before = snapshot(empty_database.url)
    assert_refused_unchanged(empty_database.url, before, "comments.id 999 (commenter_id 77)",
                             "longer than 128 characters", "users.id 30")


@pytest.mark.parametrize("empty_database", ["sqlite", "postgresql"], indirect=True)
def test_a_failing_step_leaves_the_starting_revision(empty_database):
    """Here the checks are passed by (the upgrade is Flask-Migrate's own
    function, not the command), so step 0005 meets the duplicates itself."""
    app = create_app({"DATABASE_URL": empty_database.url, "SECRET_KEY": "x" * 32})
    with app.app_context():
        upgrade(revision="0004")
        db.engine.dispose()
    users_named(empty_database.url, "bob", "bob")
    before = snapshot(empty_database.url)
    with app.app_context():
        with pytest.raises(sa.exc.IntegrityError):
            upgrade()
        db.engine.dispose()
    assert snapshot(empty_database.url) == before
    assert version_rows(empty_database.url) == ["0004"]
