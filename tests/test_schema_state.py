"""A database the code is ahead of: never upgraded, or left a revision behind
by a new release put in place without ``flask db upgrade``. The site says so
instead of looking like an outage: ``/healthz`` answers 503 with the reason,
the log says in one line what to run, and visitors read that the site is being
updated, on every engine (each reports a missing table in its own words)."""
import logging

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from scratchpad import create_app
from scratchpad.extensions import MIGRATIONS_DIRECTORY, db
from scratchpad.site import schema_state

UPGRADE = "run `flask --app scratchpad db upgrade`"


def test_the_known_revisions_are_alembics():
    script = ScriptDirectory(MIGRATIONS_DIRECTORY)
    assert schema_state.KNOWN_REVISIONS == {revision.revision for revision in script.walk_revisions()}
    assert (schema_state.NEWEST_REVISION,) == tuple(script.get_heads())


@pytest.fixture
def site_on(empty_database):
    """A production-like app on the empty database, and a way to move its schema."""
    app = create_app({"DATABASE_URL": empty_database.url, "SECRET_KEY": "x" * 32,
                      "RATELIMIT_ENABLED": False})
    yield app
    with app.app_context():
        db.engine.dispose()


def schema_messages(caplog):
    return [record.getMessage() for record in caplog.records
            if record.levelno >= logging.WARNING and UPGRADE in record.getMessage()]


@pytest.mark.engines
def test_a_database_never_upgraded_is_named_as_such(site_on, caplog):
    client = site_on.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "reason": "database schema not the code's"}
    page = client.get("/")
    assert page.status_code == 503
    assert "The site is being updated" in page.get_data(as_text=True)
    assert "not answering" not in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "30"
    messages = schema_messages(caplog)
    assert messages and all("has not been set up for Scratchpad yet" in m for m in messages)


@pytest.mark.engines
def test_a_database_a_revision_behind_says_what_to_run(site_on, caplog):
    with site_on.app_context():
        upgrade()
        # Before the site settings, which the sign-up page reads.
        downgrade(revision="0013")
    client = site_on.test_client()
    assert client.get("/healthz").status_code == 503
    (message,) = schema_messages(caplog)
    assert f"The database schema is behind the code (revision 0013, the code needs " \
           f"{schema_state.NEWEST_REVISION}): {UPGRADE}, then reload the site" in message
    caplog.clear()
    signup = client.get("/signup/")
    assert signup.status_code == 503
    assert "The site is being updated" in signup.get_data(as_text=True)
    assert len(schema_messages(caplog)) == 1

    with site_on.app_context():
        upgrade()
    caplog.clear()
    assert client.get("/healthz").status_code == 200
    assert client.get("/signup/").status_code == 404  # sign-up is by invitation by default
    assert schema_messages(caplog) == []


def test_a_database_newer_than_the_code_is_told_apart(site_on, caplog):
    with site_on.app_context():
        upgrade()
        db.session.execute(db.text("UPDATE alembic_version SET version_num = '9999'"))
        db.session.commit()
        schema_state.log_schema_problem_at_start(site_on)
    assert [record.getMessage() for record in caplog.records if "9999" in record.getMessage()] == [
        "The database schema is at revision 9999, newer than this code knows (a newer release "
        "upgraded it): run that release, or restore the backup taken before its upgrade."]
    assert site_on.test_client().get("/healthz").status_code == 503


def test_a_serving_process_says_at_start_when_the_schema_is_behind(site_on, caplog):
    schema_state.log_schema_problem_at_start(site_on)
    assert len(schema_messages(caplog)) == 1
    with site_on.app_context():
        upgrade()
    caplog.clear()
    schema_state.log_schema_problem_at_start(site_on)
    assert schema_messages(caplog) == []


def test_a_database_that_does_not_answer_is_not_called_behind(caplog):
    app = create_app({"DATABASE_URL": "sqlite:////nonexistent-directory/scratchpad.sqlite",
                      "SECRET_KEY": "x" * 32})
    schema_state.log_schema_problem_at_start(app)
    page = app.test_client().get("/")
    assert page.status_code == 503
    assert "not answering" in page.get_data(as_text=True)
    assert schema_messages(caplog) == []
