"""First run: with no account the board says so, the server logs a setup link,
and that link creates the first administrator exactly once."""
import logging
import re
import threading

import pytest
import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.accounts.first_run import setup_token
from scratchpad.models import User

from .helpers import PASSWORD, WebUser, visible_text
from .test_statement_count import counted_statements

NO_ACCOUNT_NOTICE = "There is no account yet"
# Only the path, when the site's address is not configured.
SETUP_LINK = re.compile(r"\S*/setup/([A-Za-z0-9_-]{43})")


@pytest.fixture
def setup_path(app):
    with app.app_context():
        return f"/setup/{setup_token()}"


def logged_setup_links(caplog):
    return [SETUP_LINK.search(record.getMessage()) for record in caplog.records
            if record.levelno == logging.WARNING and SETUP_LINK.search(record.getMessage())]


def form_token(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def submit_setup(client, path, username="admin", password=PASSWORD, again=None):
    return client.post(path, data={
        "csrf_token": form_token(client, path), "username": username,
        "new_password": password, "new_password_again": password if again is None else again,
    })


def users(app):
    with app.app_context():
        return [(user.username, user.is_admin)
                for user in db.session.scalars(sa.select(User).order_by(User.id))]


def test_board_says_there_is_no_account_and_logs_the_link_once(app, client, setup_path, caplog):
    caplog.set_level(logging.WARNING, logger="scratchpad")
    assert NO_ACCOUNT_NOTICE in visible_text(client.get("/"))
    assert NO_ACCOUNT_NOTICE in visible_text(client.get("/"))
    links = logged_setup_links(caplog)
    assert len(links) == 1
    assert links[0].group(0).endswith(setup_path)


def test_board_says_nothing_of_setup_once_an_account_exists(app, client, make_user, caplog):
    make_user("bob")
    caplog.set_level(logging.WARNING, logger="scratchpad")
    text = visible_text(client.get("/"))
    assert NO_ACCOUNT_NOTICE not in text
    assert "Log in to post a comment" in text
    assert logged_setup_links(caplog) == []


def test_setup_link_creates_the_first_administrator_and_logs_them_in(app, client, setup_path):
    form = client.get(setup_path)
    assert form.status_code == 200
    assert "Create the first administrator" in visible_text(form)
    response = submit_setup(client, setup_path, username="root")
    assert response.status_code == 302
    assert users(app) == [("root", True)]
    board = visible_text(client.get("/", follow_redirects=True))
    assert "Welcome, root" in board
    assert "Users" in board and "Log out" in board


def test_setup_link_is_dead_once_an_account_exists(app, client, setup_path, make_user):
    make_user("bob")
    assert client.get(setup_path).status_code == 404
    token = form_token(client, "/login/")
    response = client.post(setup_path, data={"csrf_token": token, "username": "mallory",
                                             "new_password": PASSWORD,
                                             "new_password_again": PASSWORD})
    assert response.status_code == 404
    assert users(app) == [("bob", False)]


def test_setup_link_cannot_be_used_twice(app, client, setup_path):
    assert submit_setup(client, setup_path).status_code == 302
    other = app.test_client()
    assert other.get(setup_path).status_code == 404
    assert users(app) == [("admin", True)]


@pytest.mark.parametrize("token", ["0" * 64, "not-a-token", "s\u00e9tup"])
def test_a_wrong_token_is_not_found(app, client, token):
    assert client.get(f"/setup/{token}").status_code == 404
    assert users(app) == []


@pytest.mark.parametrize("username, password, again, message", [
    ("   ", PASSWORD, None, "Choose a username."),
    ("admin", "short", None, "at least 8 characters"),
    ("admin", " " * 10, None, "must not be empty"),
    ("admin", PASSWORD, PASSWORD + "!", "The two passwords differ."),
    ("x" * 129, PASSWORD, None, "at most 128 characters"),
])
def test_setup_refuses_bad_input_and_creates_nothing(app, client, setup_path,
                                                     username, password, again, message):
    response = submit_setup(client, setup_path, username, password, again)
    assert response.status_code == 400
    assert message in visible_text(response)
    assert users(app) == []


def test_the_token_is_the_same_in_every_process_with_the_same_key(app, database):
    """Each worker of a multi-process server builds its own app: the link one
    logs must work in all of them, and only with this site's key."""
    other_worker = create_app({"DATABASE_URL": database.url,
                               "SECRET_KEY": app.config["SECRET_KEY"]})
    other_site = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "another key " * 4})
    assert setup_token(other_worker) == setup_token(app)
    assert setup_token(other_site) != setup_token(app)
    for site in (other_worker, other_site):
        with site.app_context():
            db.engine.dispose()


def test_two_simultaneous_setups_create_one_administrator(app, setup_path):
    clients = [app.test_client() for _ in range(2)]
    tokens = [form_token(client, setup_path) for client in clients]
    start = threading.Barrier(2)
    statuses = {}

    def submit(number):
        start.wait()
        response = clients[number].post(setup_path, data={
            "csrf_token": tokens[number], "username": f"admin{number}",
            "new_password": PASSWORD, "new_password_again": PASSWORD,
        })
        statuses[number] = response.status_code

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [302, 404]
    created = users(app)
    assert len(created) == 1 and created[0][1] is True


ACCOUNT_CHECK = re.compile(r"EXISTS \(SELECT users\.id\s+FROM users\)")


def account_checks(app, client, path):
    with counted_statements(app) as statements:
        assert client.get(path).status_code == 200
    return len([statement for statement in statements if ACCOUNT_CHECK.search(statement)])


def test_anonymous_readers_pay_one_query_until_an_account_is_seen(app, make_user):
    uncached = create_app({name: app.config[name] for name in
                           ("TESTING", "DATABASE_URL", "SECRET_KEY", "RATELIMIT_ENABLED")}
                          | {"BOARD_PAGE_CACHE": False})
    reader = uncached.test_client()
    assert account_checks(uncached, reader, "/") == 1
    make_user("bob")
    assert account_checks(uncached, reader, "/?before=1000") == 1
    assert account_checks(uncached, reader, "/?before=2000") == 0
    with uncached.app_context():
        db.engine.dispose()


def test_with_the_page_cache_its_reading_answers_the_account_check(app, make_user):
    reader = app.test_client()
    assert account_checks(app, reader, "/") == 0
    assert "There is no account yet" in visible_text(reader.get("/?before=1000"))
    make_user("bob")
    assert account_checks(app, reader, "/?before=2000") == 0
    assert "There is no account yet" not in visible_text(reader.get("/?before=3000"))


def test_logged_in_readers_never_pay_for_the_account_check(app, make_user):
    make_user("bob")
    bob = WebUser(app.test_client())
    bob.login("bob")
    assert account_checks(app, bob.client, "/") == 0


def test_the_logged_link_never_takes_its_host_from_the_request(app, client, setup_path, caplog):
    caplog.set_level(logging.WARNING, logger="scratchpad")
    client.get("/", headers={"Host": "evil.example"})
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "evil.example" not in messages
    assert logged_setup_links(caplog)[0].group(0) == setup_path


@pytest.mark.parametrize("settings, link_start", [
    ({"PUBLIC_URL": "https://board.example.org/"}, "https://board.example.org/setup/"),
    ({"SERVER_NAME": "board.example.org", "PREFERRED_URL_SCHEME": "https"},
     "https://board.example.org/setup/"),
])
def test_the_logged_link_uses_the_configured_address(app, setup_path, caplog, settings, link_start):
    app.config.update(settings)
    caplog.set_level(logging.WARNING, logger="scratchpad")
    host = settings.get("SERVER_NAME", "evil.example")
    app.test_client().get("/", headers={"Host": host})
    link = logged_setup_links(caplog)[0].group(0)
    assert link.startswith(link_start) and link.endswith(setup_path)
    assert "evil.example" not in link


def test_flask_setup_link_prints_the_link(app, setup_path, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["setup-link"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == setup_path
    app.config["PUBLIC_URL"] = "https://board.example.org"
    printed = runner.invoke(args=["setup-link"]).stdout.strip()
    assert printed == "https://board.example.org" + setup_path
    make_user("bob")
    done = runner.invoke(args=["setup-link"])
    assert done.exit_code == 1
    assert "An account already exists" in done.output
