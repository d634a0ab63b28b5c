"""The migrations, on every engine: each revision goes up, down and up again,
and the newest revision is exactly the schema the models describe."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from scratchpad import create_app
from scratchpad.extensions import MIGRATIONS_DIRECTORY, db
from scratchpad.search import outside_the_models

pytestmark = pytest.mark.engines


def revisions_oldest_first():
    script = ScriptDirectory(MIGRATIONS_DIRECTORY)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def current_revision(connection):
    return MigrationContext.configure(connection).get_current_revision()


def schema_differences(app):
    """What `flask db migrate` would write, as Alembic's list of differences."""
    options = app.extensions["migrate"].configure_args
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


@pytest.fixture
def migrating_app(empty_database):
    app = create_app({"DATABASE_URL": empty_database.url, "SECRET_KEY": "x" * 32})
    with app.app_context():
        yield app
        db.engine.dispose()


def test_revisions_replay_the_tutorial_in_order():
    assert revisions_oldest_first()[:4] == ["0001", "0002", "0003", "0004"]


def test_each_revision_upgrades_downgrades_and_upgrades_again(migrating_app):
    revisions = revisions_oldest_first()
    previous = None
    for revision in revisions:
        upgrade(revision=revision)
        downgrade(revision=previous or "base")
        with db.engine.connect() as connection:
            assert current_revision(connection) == previous
        upgrade(revision=revision)
        with db.engine.connect() as connection:
            assert current_revision(connection) == revision
        previous = revision

    downgrade(revision="base")
    with db.engine.connect() as connection:
        assert current_revision(connection) is None
        assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
    upgrade()
    with db.engine.connect() as connection:
        assert current_revision(connection) == revisions[-1]
        comment_indexes = sa.inspect(connection).get_indexes("comments")
    # Besides the full-text index on MariaDB and PostgreSQL, which the models do not describe.
    assert sorted(index["name"] for index in comment_indexes
                  if outside_the_models(index["name"], "index", {})) == [
        "ix_comments_commenter_id", "ix_comments_parent_id"]
    assert schema_differences(migrating_app) == []


def test_newest_revision_matches_the_models(migrating_app):
    upgrade()
    assert schema_differences(migrating_app) == []


def test_schema_comparison_notices_a_missing_migration(migrating_app):
    upgrade(revision="0005")
    differences = schema_differences(migrating_app)
    assert any(difference[0] == "add_index" for difference in differences), differences


def add_users_at_0008(names):
    users = sa.table("users", sa.column("username", sa.String),
                     sa.column("password_hash", sa.String))
    with db.engine.begin() as connection:
        connection.execute(sa.insert(users), [{"username": name, "password_hash": "!"}
                                              for name in names])


def test_upgrading_gives_existing_users_their_keys(migrating_app):
    upgrade(revision="0008")
    add_users_at_0008(["Bob", "ﬁona", "alice"])
    upgrade()
    with db.engine.connect() as connection:
        keys = dict(connection.execute(sa.text("SELECT username, username_key FROM users")).all())
    assert keys == {"Bob": "bob", "ﬁona": "fiona", "alice": "alice"}


def test_names_that_would_collide_stop_the_upgrade_before_any_change(migrating_app, empty_database,
                                                                    caplog):
    if empty_database.engine_name.startswith("mysql"):
        pytest.skip("MySQL's case-insensitive unique username already refuses such names")
    upgrade(revision="0008")
    add_users_at_0008(["bob", "Bob", "ＢＯＢ", "carol", "Carol", "dave"])
    with pytest.raises(SystemExit):  # `flask db upgrade` exits 1, printing the message
        upgrade()
    message = " ".join(record.getMessage() for record in caplog.records)
    assert "'Bob', 'bob', 'ＢＯＢ'" in message and "'Carol', 'carol'" in message
    assert "flask users rename" in message
    with db.engine.connect() as connection:
        assert current_revision(connection) == "0008"
        columns = {column["name"] for column in sa.inspect(connection).get_columns("users")}
    assert "username_key" not in columns

    runner = migrating_app.test_cli_runner()
    for old, new in (("Bob", "bob2"), ("ＢＯＢ", "bob3"), ("Carol", "carol2")):
        result = runner.invoke(args=["users", "rename", old, new])
        assert result.exit_code == 0, result.output
    upgrade()
    with db.engine.connect() as connection:
        assert current_revision(connection) == revisions_oldest_first()[-1]
        names = sorted(connection.execute(sa.text("SELECT username FROM users")).scalars())
    assert names == ["bob", "bob2", "bob3", "carol", "carol2", "dave"]
