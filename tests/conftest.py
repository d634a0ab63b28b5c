import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import Comment, User

from .engines import ENGINES, ThrowAwayDatabase

PASSWORD = "correct horse battery"


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
            connection.execute(sa.delete(Comment))
            connection.execute(sa.delete(User))
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
        with app.app_context():
            user = User(username=username, is_admin=is_admin)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            return user.id
    return make_user


def csrf_token(client, path="/login/"):
    """The CSRF token from the form on a page, as a browser would send it."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class WebUser:
    """The test client used as a person with a browser would: forms carry their CSRF token."""

    def __init__(self, client):
        self.client = client

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def post_form(self, path, data, form_page=None, **kwargs):
        data = dict(data)
        data.setdefault("csrf_token", csrf_token(self.client, form_page or path))
        return self.client.post(path, data=data, **kwargs)

    def login(self, username="bob", password=PASSWORD, **kwargs):
        return self.post_form("/login/", {"username": username, "password": password}, **kwargs)

    def logout(self):
        return self.post_form("/logout/", {}, form_page="/logout/")

    def post_comment(self, text, **kwargs):
        return self.post_form("/", {"contents": text}, **kwargs)


@pytest.fixture
def web(client):
    return WebUser(client)
