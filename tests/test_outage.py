"""The database goes away and comes back while the app keeps running: requests
meanwhile get the 503 page, and the next ones succeed without a restart."""
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.models import Comment

from .helpers import PASSWORD, WebUser, add_comment, csrf_token
from .engines import SERVER_ENGINES
from .tcp_proxy import LOOPBACK, CuttableProxy

# SQLite is a file the app opens itself: there is no connection to cut.
pytestmark = pytest.mark.parametrize("database", list(SERVER_ENGINES), indirect=True)

DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432}
UNAVAILABLE_TEXT = "The database is not answering"


@pytest.fixture
def proxy(database):
    url = make_url(database.url)
    proxy = CuttableProxy((url.host, url.port or DEFAULT_PORTS[url.get_backend_name()]))
    yield proxy
    proxy.close()


@pytest.fixture
def proxied_app(app, database, proxy):
    """The app of the ``app`` fixture (which empties the tables afterwards),
    reaching its database through the proxy."""
    url = make_url(database.url).set(host=LOOPBACK, port=proxy.port)
    proxied = create_app({**app.config, "DATABASE_URL": url.render_as_string(hide_password=False)})
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def comment_texts(app):
    with app.app_context():
        return set(db.session.scalars(sa.select(Comment.content)))


def assert_unavailable(response):
    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.get_data(as_text=True)
    assert response.headers["Retry-After"].isdigit()


def test_requests_during_an_outage_get_503_and_later_ones_succeed(proxied_app, proxy, make_user):
    make_user("bob")
    reader = proxied_app.test_client()
    bob = WebUser(proxied_app.test_client())
    assert bob.login().status_code == 302
    assert bob.post_comment("Before the outage").status_code == 302
    comment_token = csrf_token(bob.client, "/")
    newcomer = proxied_app.test_client()
    login_token = csrf_token(newcomer, "/login/")
    login = {"username": "bob", "password": PASSWORD, "csrf_token": login_token}

    proxy.cut()
    assert_unavailable(reader.get("/"))
    assert_unavailable(reader.get("/?before=1000"))
    assert_unavailable(bob.get("/"))
    assert_unavailable(bob.client.post("/", data={"contents": "During the outage",
                                                  "csrf_token": comment_token}))
    assert_unavailable(newcomer.post("/login/", data=login))
    if any(rule.rule == "/healthz" for rule in proxied_app.url_map.iter_rules()):
        assert reader.get("/healthz").status_code == 503

    proxy.restore()
    assert "Before the outage" in reader.get("/").get_data(as_text=True)
    page = bob.get("/")
    assert page.status_code == 200
    assert "bob" in page.get_data(as_text=True)
    assert bob.client.post("/", data={"contents": "After the outage",
                                      "csrf_token": comment_token}).status_code == 302
    assert newcomer.post("/login/", data=login).status_code == 302
    assert comment_texts(proxied_app) == {"Before the outage", "After the outage"}


def test_a_connection_dropped_between_requests_is_replaced_unseen(proxied_app, proxy, make_user):
    """A connection the server closed while idle in the pool (as PythonAnywhere
    does after 300 s) is noticed on checkout and replaced: no error page."""
    make_user("bob")
    bob = WebUser(proxied_app.test_client())
    assert bob.login().status_code == 302
    proxy.cut()
    proxy.restore()
    assert bob.get("/").status_code == 200
    assert bob.post_comment("After a dropped connection").status_code == 302


def test_kept_pages_are_not_served_while_the_database_is_away(proxied_app, proxy, make_user):
    make_user("bob")
    add_comment(proxied_app, "Before the outage")
    reader = proxied_app.test_client()
    bob = WebUser(proxied_app.test_client())
    assert bob.login().status_code == 302
    for _ in range(2):
        assert "Before the outage" in reader.get("/").get_data(as_text=True)
        assert "Before the outage" in bob.get("/").get_data(as_text=True)
    proxy.cut()
    assert_unavailable(reader.get("/"))
    assert_unavailable(bob.get("/"))
    proxy.restore()
    assert "Before the outage" in reader.get("/").get_data(as_text=True)
    assert "Post a comment" in bob.get("/").get_data(as_text=True)
