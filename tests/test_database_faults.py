"""A database that is full, read-only, silent or dies under a request: the
visitor gets the styled 503 page saying which, with one Retry-After; nothing
is half-saved; and the site carries on when the fault is gone."""
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import Comment

from .engines import SERVER_ENGINES
from .helpers import PASSWORD, WebUser, all_comments, csrf_token
from .tcp_proxy import LOOPBACK, CuttableProxy

pytestmark = pytest.mark.drivers

NOT_ANSWERING = "The database is not answering"
OUT_OF_SPACE = "The database has run out of space"
READ_ONLY = "The database can be read but not written"
DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432}

# Statements that make every later write of a connection fail as a read-only database would.
READ_ONLY_SESSION = {
    "sqlite": "PRAGMA query_only = ON",
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET default_transaction_read_only = on",
}


def assert_503(response, text):
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page
    assert text in page
    assert '<nav class="navbar' in page  # the styled page, not a bare one
    assert len(response.headers.getlist("Retry-After")) == 1
    assert int(response.headers["Retry-After"]) >= 1


@pytest.fixture
def on_every_new_connection(app):
    """Runs a statement on each connection an app opens from now on, until the test ends."""
    added = []

    def run_on_connect(statement, target=app):
        def setup(connection, record):
            connection.cursor().execute(statement)
            connection.commit()
        with target.app_context():
            db.engine.dispose()
            sa.event.listen(db.engine, "connect", setup)
        added.append((target, setup))

    yield run_on_connect
    for target, setup in added:
        with target.app_context():
            sa.event.remove(db.engine, "connect", setup)
            db.engine.dispose()


def test_read_only_database_gets_a_503_saying_so(app, web, make_user, database,
                                                 on_every_new_connection):
    make_user("bob")
    assert web.login().status_code == 302
    assert web.post_comment("Before").status_code == 302
    token = csrf_token(web.client, "/")
    backend = make_url(database.url).get_backend_name()
    on_every_new_connection(READ_ONLY_SESSION[backend])

    assert_503(web.client.post("/", data={"contents": "Refused", "csrf_token": token}), READ_ONLY)
    page = web.get("/")
    assert page.status_code == 200  # reading goes on
    assert "Before" in page.get_data(as_text=True)
    assert [row[1] for row in all_comments(app)] == ["Before"]


def test_one_retry_after_even_with_the_limiters_headers(database, make_user,
                                                        on_every_new_connection):
    """The comment limit adds its own headers to a logged-in POST."""
    limited = create_app({"TESTING": True, "DATABASE_URL": database.url,
                          "SECRET_KEY": "test secret key, long enough for production",
                          "RATELIMIT_ENABLED": True})
    web = WebUser(limited.test_client())
    make_user("bob")
    assert web.login().status_code == 302
    token = csrf_token(web.client, "/")
    on_every_new_connection(READ_ONLY_SESSION[make_url(database.url).get_backend_name()],
                            target=limited)
    response = web.client.post("/", data={"contents": "Refused", "csrf_token": token})
    assert response.headers.get("X-RateLimit-Limit")
    assert_503(response, READ_ONLY)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_full_sqlite_database_gets_a_503_and_nothing_half_saved(app, web, make_user,
                                                               on_every_new_connection):
    make_user("bob")
    assert web.login().status_code == 302
    assert web.post_comment("Fits").status_code == 302
    token = csrf_token(web.client, "/")
    with app.app_context():
        db.session.execute(sa.text("VACUUM"))
        pages = db.session.execute(sa.text("PRAGMA page_count")).scalar()
    # Not a page more than the file has: the space left in its pages fills up.
    on_every_new_connection(f"PRAGMA max_page_count = {pages}")

    saved = ["Fits"]
    answers = []
    for number in range(40):
        text = f"{number} " + "x" * 4000
        response = web.client.post("/", data={"contents": text, "csrf_token": token})
        answers.append(response.status_code)
        if response.status_code == 302:
            saved.append(text)
        else:
            assert_503(response, OUT_OF_SPACE)
    assert answers[-5:] == [503] * 5
    assert [row[1] for row in all_comments(app)] == saved
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_file_opened_read_only_gets_a_503_saying_so(app, make_user, database):
    make_user("bob")
    path = make_url(database.url).database
    read_only = create_app({**app.config,
                            "DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"})
    # Logging in writes the login's record: done while the file may be written.
    writer = WebUser(app.test_client())
    assert writer.login().status_code == 302
    session_cookie = writer.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    web = WebUser(read_only.test_client())
    web.client.set_cookie(session_cookie.key, session_cookie.value)
    assert_503(web.post_comment("Refused"), READ_ONLY)
    assert web.get("/").status_code == 200
    with read_only.app_context():
        db.engine.dispose()


def test_rollback_failing_at_the_end_of_a_request_harms_neither_it_nor_the_next(
        app, web, make_user, caplog):
    """The session's rollback at teardown raising (the server went away just
    then) must not turn a finished answer into a bare 500, nor leave the
    thread a broken session (PendingRollbackError) for its next request."""
    make_user("bob")
    assert web.login().status_code == 302
    failing = {"on": True}

    def lose_the_connection(connection):
        if failing["on"]:
            failing["on"] = False
            raise sa.exc.OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    with app.app_context():
        sa.event.listen(db.engine, "rollback", lose_the_connection)
    assert web.get("/").status_code == 200
    assert failing["on"] is False
    with app.app_context():
        sa.event.remove(db.engine, "rollback", lose_the_connection)
    assert "could not be closed" in caplog.text
    assert web.post_comment("Next").status_code == 302
    assert web.get("/account/").status_code == 200
    assert [row[1] for row in all_comments(app)] == ["Next"]


@pytest.fixture
def proxy(database):
    url = make_url(database.url)
    proxy = CuttableProxy((url.host, url.port or DEFAULT_PORTS[url.get_backend_name()]))
    yield proxy
    proxy.close()


CONNECT_TIMEOUT = 1
QUERY_TIMEOUT = 2


@pytest.mark.parametrize("database", list(SERVER_ENGINES), indirect=True)
def test_a_silent_database_gets_a_503_within_the_timeouts(app, database, proxy, make_user):
    """The server accepts connections and then says nothing: each request
    (reads, kept pages, a post, a login, the feed) ends in the 503 page
    within the connect and query timeouts, and a kept page's check, which
    passes its error on to the site, within one query timeout; when the
    server answers again, so does the site."""
    url = make_url(database.url).set(host=LOOPBACK, port=proxy.port)
    silent = create_app({**app.config, "DATABASE_URL": url.render_as_string(hide_password=False),
                         "DATABASE_CONNECT_TIMEOUT": CONNECT_TIMEOUT,
                         "DATABASE_QUERY_TIMEOUT": QUERY_TIMEOUT})
    make_user("bob")
    make_user("carol")
    reader = silent.test_client()
    bob = WebUser(silent.test_client())
    assert bob.login().status_code == 302
    assert bob.post_comment("Before the silence").status_code == 302
    token = csrf_token(bob.client, "/")
    carol_login = silent.test_client()
    login_token = csrf_token(carol_login)
    for _ in range(2):  # kept by the front door for both
        assert reader.get("/").status_code == 200
        assert bob.get("/").status_code == 200

    proxy.stall()
    kept_pages = (lambda: reader.get("/"), lambda: bob.get("/"))
    others = (lambda: bob.client.post("/", data={"contents": "In the silence",
                                                 "csrf_token": token}),
              lambda: carol_login.post("/login/", data={"username": "carol", "password": PASSWORD,
                                                        "csrf_token": login_token}),
              lambda: reader.get("/feed.atom"), lambda: reader.get("/search?q=silence"))
    for request in kept_pages + others:
        started = time.monotonic()
        response = request()
        waited = time.monotonic() - started
        assert_503(response, NOT_ANSWERING)
        bound = QUERY_TIMEOUT if request in kept_pages else CONNECT_TIMEOUT + 2 * QUERY_TIMEOUT
        assert waited < bound + 1, waited

    proxy.resume()
    assert bob.post_comment("After the silence").status_code == 302
    assert "After the silence" in reader.get("/").get_data(as_text=True)
    with silent.app_context():
        texts = set(db.session.scalars(sa.select(Comment.content)))
        db.engine.dispose()
    assert {"Before the silence", "After the silence"} <= texts


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_postgresql_queries_past_the_timeout_are_ended_and_short_ones_are_not(app, database):
    """psycopg has no read timeout of its own: the site's watch ends a query
    that runs too long, but leaves a long run of short ones alone."""
    watched = create_app({**app.config, "DATABASE_QUERY_TIMEOUT": 1})
    with watched.app_context():
        with db.engine.connect() as connection:
            started = time.monotonic()
            for _ in range(12):
                connection.execute(sa.text("SELECT pg_sleep(0.2)"))
            assert time.monotonic() - started > 2
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError):
            with db.engine.connect() as connection:
                connection.execute(sa.text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 2
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
        db.engine.dispose()
