"""The databases behind the site: how DATABASE_URL picks a driver, text that
survives every engine, and pooled connections that survive the server."""
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from scratchpad import create_app
from scratchpad.config import database_url
from scratchpad.extensions import db
from scratchpad.models import Comment

from .engines import ThrowAwayDatabase, server_url

pytestmark = pytest.mark.drivers

EMOJI_TEXT = "😀 naïve Ωμέγα"
MYSQL_ENGINES = ["mysql-pymysql", "mysql-connector"]


@pytest.mark.parametrize("given, used", [
    ("mysql://bob:secret@db.example.com/bob$scratchpad",
     "mysql+pymysql://bob:secret@db.example.com/bob$scratchpad?charset=utf8mb4"),
    ("mariadb://bob@localhost/scratchpad", "mysql+pymysql://bob@localhost/scratchpad?charset=utf8mb4"),
    ("mysql+mysqlconnector://bob@localhost/scratchpad",
     "mysql+mysqlconnector://bob@localhost/scratchpad?charset=utf8mb4"),
    ("mysql://bob@localhost/scratchpad?charset=utf8", "mysql+pymysql://bob@localhost/scratchpad?charset=utf8"),
    ("postgresql://bob:secret@localhost/scratchpad", "postgresql+psycopg://bob:secret@localhost/scratchpad"),
    ("postgres://bob@localhost:5433/scratchpad", "postgresql+psycopg://bob@localhost:5433/scratchpad"),
    ("postgresql+psycopg://bob@localhost/scratchpad", "postgresql+psycopg://bob@localhost/scratchpad"),
    ("sqlite:////srv/scratchpad.sqlite", "sqlite:////srv/scratchpad.sqlite"),
])
def test_database_url_picks_the_tested_driver(given, used):
    assert make_url(database_url(given)) == make_url(used)


def test_database_url_keeps_a_quoted_password():
    url = database_url("mysql://bob:p%40ss%24word@bob.mysql.pythonanywhere-services.com/bob$scratchpad")
    parsed = make_url(url)
    assert (parsed.password, parsed.database) == ("p@ss$word", "bob$scratchpad")


def test_database_url_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://bob@db.example.com/scratchpad")
    app = create_app({"SECRET_KEY": "x" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://bob@db.example.com/scratchpad"
    with app.app_context():
        assert db.engine.dialect.driver == "psycopg"


def test_text_survives_the_round_trip_through_the_form(app, web, make_user):
    make_user("bob")
    web.login("bob")

    response = web.post_comment(EMOJI_TEXT, follow_redirects=True)

    assert response.status_code == 200
    assert EMOJI_TEXT in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(Comment.content)).all() == [EMOJI_TEXT]


def pooled_connection_id(app):
    """The server's id for the connection the app's pool holds."""
    with app.app_context():
        connection_id = db.session.scalar(sa.text("SELECT CONNECTION_ID()"))
        db.session.remove()
        assert db.engine.pool.checkedin() == 1
        return connection_id


def kill_connection(engine_name, connection_id):
    """KILL a connection from another one, and wait until the server has."""
    engine = sa.create_engine(database_url(server_url(engine_name)), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f"KILL CONNECTION {int(connection_id)}"))
            alive = sa.text("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = :id")
            for _ in range(100):
                if not connection.scalar(alive, {"id": connection_id}):
                    return
                time.sleep(0.05)
            pytest.fail(f"connection {connection_id} was not killed")
    finally:
        engine.dispose()


def board_app(database, page_cache=False, **engine_options):
    """Without kept pages (unless asked), every request reads through the
    pool: the front door that serves kept pages has a connection of its own."""
    app = create_app({
        "DATABASE_URL": database.url, "SECRET_KEY": "x" * 32, "RATELIMIT_ENABLED": False,
        "BOARD_PAGE_CACHE": page_cache,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 280, "pool_pre_ping": True, **engine_options},
    })
    with app.app_context():
        db.session.add(Comment(content=EMOJI_TEXT))
        db.session.commit()
        db.session.remove()
    return app


def clean_up(app):
    with app.app_context():
        db.session.execute(sa.delete(Comment))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("database", MYSQL_ENGINES, indirect=True)
def test_a_killed_pooled_connection_costs_the_next_request_nothing(database):
    app = board_app(database)
    try:
        client = app.test_client()
        assert client.get("/").status_code == 200
        killed = pooled_connection_id(app)

        kill_connection(database.engine_name, killed)
        response = client.get("/")

        assert response.status_code == 200
        assert EMOJI_TEXT in response.get_data(as_text=True)
        assert pooled_connection_id(app) != killed
    finally:
        clean_up(app)


@pytest.mark.parametrize("database", MYSQL_ENGINES, indirect=True)
def test_without_pre_ping_a_killed_connection_would_fail_the_request(database):
    """The check above is real: the same kill breaks a pool that does not ping."""
    app = board_app(database, pool_pre_ping=False)
    try:
        client = app.test_client()
        assert client.get("/").status_code == 200
        kill_connection(database.engine_name, pooled_connection_id(app))

        assert client.get("/").status_code >= 500
    finally:
        clean_up(app)


@pytest.mark.parametrize("database", MYSQL_ENGINES, indirect=True)
def test_a_killed_reading_connection_costs_the_next_request_nothing(database):
    """The front door's own connection, which no pool checks, is replaced as
    the pool's would be, even for a server that closes idle connections."""
    app = board_app(database, page_cache=True)
    reading = app.extensions["scratchpad_reading_connection"]
    try:
        client = app.test_client()
        assert client.get("/").status_code == 200
        assert client.get("/").status_code == 200  # kept: read on the front door's connection
        killed = reading.one(sa.text("SELECT CONNECTION_ID()"))[0]

        kill_connection(database.engine_name, killed)
        response = client.get("/")

        assert response.status_code == 200
        assert EMOJI_TEXT in response.get_data(as_text=True)
        assert reading.one(sa.text("SELECT CONNECTION_ID()"))[0] != killed
    finally:
        clean_up(app)


@pytest.mark.parametrize("engine", MYSQL_ENGINES)
def test_a_pythonanywhere_database_name_with_a_dollar_sign_works(engine, tmp_path_factory):
    """PythonAnywhere names databases USER$NAME."""
    database = ThrowAwayDatabase(engine, tmp_path_factory, prefix="scratchpad$")
    try:
        app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "x" * 32})
        with app.app_context():
            upgrade()
            assert db.session.scalar(sa.text("SELECT DATABASE()")) == database.name
            db.session.remove()
            db.engine.dispose()
    finally:
        database.drop()
