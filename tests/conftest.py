import os
import shutil
import tempfile

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from scratchpad import INSTANCE_PATH_VARIABLE, create_app
from scratchpad.extensions import db
from scratchpad.models import (AccountToken, ApiToken, Comment, CommentReport, CommentRevision,
                               Invitation, LoginSession, SiteSetting, User)

from .engines import ENGINES, ThrowAwayDatabase
from support.site_processes import free_port

from .helpers import PASSWORD, Mailbox, WebUser, create_user

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
            # SQLite does not enforce foreign keys: nothing may be left pointing nowhere.
            for table in (CommentReport, CommentRevision, Comment, LoginSession, ApiToken,
                          AccountToken, Invitation, SiteSetting, User):
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


PUBLIC_URL = "http://board.example.test"


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port: its Mailbox."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_settings(smtp_server):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
            "MAIL_DEFAULT_SENDER": "Scratchpad <board@example.test>", "PUBLIC_URL": PUBLIC_URL}


@pytest.fixture
def mail_app(app, database, mail_settings):
    """A second app on the `app` fixture's database (which cleans it up) that
    sends mail to the test's SMTP server."""
    mail_app = create_app({
        "TESTING": True,
        "DATABASE_URL": database.url,
        "SECRET_KEY": "test secret key, long enough for production",
        "RATELIMIT_ENABLED": False,
        **mail_settings,
    })
    yield mail_app
    with mail_app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def mail_web(mail_app):
    return WebUser(mail_app.test_client())
