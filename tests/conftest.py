import os
import shutil
import tempfile

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from scratchpad import INSTANCE_PATH_VARIABLE, create_app
from scratchpad.extensions import db
from scratchpad.models import AccountToken, Comment, Invitation, SiteSetting, User

from .engines import ENGINES, ThrowAwayDatabase
from .helpers import PASSWORD, WebUser, create_user

# Settings a developer's shell may hold for running the site; none of them may
# reach the tests, nor may the repository's own instance/ folder.
SITE_SETTINGS = ("DATABASE_URL", "SECRET_KEY", "FLASK_DEBUG", "FLASK_APP")


def pytest_configure(config):
    for name in list(os.environ):
        if name in SITE_SETTINGS or (name.startswith("SCRATCHPAD_")
                                     and not name.startswith("SCRATCHPAD_TEST_")):
            del os.environ[name]
    os.environ[INSTANCE_PATH_VARIABLE] = tempfile.mkdtemp(prefix="scratchpad-test-instance-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.pop(INSTANCE_PATH_VARIABLE, ""), ignore_errors=True)


@pytest.fixture(scope="session", params=ENGINES)
def database(request, tmp_path_factory):
    """A throw-away database on each engine, at the newest migration."""
    throw_away = ThrowAwayDatabase(request.param, tmp_path_factory)
    app = create_app({"DATABASE_URL": throw_away.url, "SECRET_KEY": "x" * 32, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield throw_away
    throw_away.drop()


@pytest.fixture(params=ENGINES)
def empty_database(request, tmp_path_factory):
    """A new, empty database on each engine, for one test; dropped after it."""
    throw_away = ThrowAwayDatabase(request.param, tmp_path_factory)
    yield throw_away
    throw_away.drop()


@pytest.fixture
def app(database, tmp_path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database.url,
        "SECRET_KEY": "test secret key, long enough for production",
        "RATELIMIT_ENABLED": False,
    })
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in (Comment, AccountToken, Invitation, SiteSetting, User):
                connection.execute(sa.delete(table))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    def make_user(username="bob", password=PASSWORD, is_admin=False):
        return create_user(app, username, password, is_admin=is_admin)
    return make_user


@pytest.fixture
def web(client):
    return WebUser(client)
