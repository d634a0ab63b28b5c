import os
import shutil
import tempfile

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from playwright.sync_api import expect

from scratchpad import INSTANCE_PATH_VARIABLE, create_app
from scratchpad.accounts import passwords
from scratchpad.extensions import db
from scratchpad.models import (AccountToken, ApiToken, Comment, CommentReport, CommentRevision,
                               Invitation, LoginSession, SiteSetting, User)

from .engines import ENGINES, ONE_DRIVER_EACH, ThrowAwayDatabase, unavailable
from support.site_processes import free_port

from .helpers import PASSWORD, Mailbox, WebUser, create_user
from .live_server import ARTIFACTS, LiveServer

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


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept in memory for every app the tests make: each
    test's app would otherwise compile the same templates again, a third of an
    ordinary test's time. Jinja checks each template's source against its
    checksum before using the code."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def shared_template_code():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "jinja_options", {**Flask.jinja_options,
                                               "bytecode_cache": SharedTemplateCode()})
        yield


# Which engines a test runs on: SQLite, unless its behaviour can differ by
# engine (marked `engines`: one driver each) or by driver (marked `drivers`).
ENGINE_FIXTURES = {"database": "session", "empty_database": "function"}


def engines_for(definition):
    if definition.get_closest_marker("drivers"):
        return ENGINES
    if definition.get_closest_marker("engines"):
        return ONE_DRIVER_EACH
    return ["sqlite"]


def parametrized_names(definition):
    for marker in definition.iter_markers("parametrize"):
        names = marker.args[0]
        yield from (names.replace(" ", "").split(",") if isinstance(names, str) else names)


def pytest_generate_tests(metafunc):
    chosen = set(parametrized_names(metafunc.definition))
    for name, scope in ENGINE_FIXTURES.items():
        if name in metafunc.fixturenames and name not in chosen:
            metafunc.parametrize(name, engines_for(metafunc.definition), indirect=True,
                                 scope=scope)


# Argon2 at its production cost is a fifth of the suite's time; the tests of
# hashing and of login timing (marked `production_hashing`) keep it.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    if request.node.get_closest_marker("production_hashing") is None:
        monkeypatch.setattr(passwords, "hasher", TEST_HASHER)
    passwords.current_hash_method.cache_clear()
    passwords.dummy_hash.cache_clear()
    yield
    passwords.current_hash_method.cache_clear()
    passwords.dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def database(request, tmp_path_factory):
    """A throw-away database on each engine, at the newest migration."""
    throw_away = ThrowAwayDatabase(request.param, tmp_path_factory)
    app = create_app({"DATABASE_URL": throw_away.url, "SECRET_KEY": "x" * 32, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield throw_away
    throw_away.drop()


@pytest.fixture
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
def other(app):
    """Another app on the same database, with a page cache of its own: what a
    second gunicorn worker is."""
    other = create_app({**app.config})
    yield other
    with other.app_context():
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


@pytest.fixture
def logged_in(app, make_user):
    """``logged_in(username)``: a new account's owner, logged in with a
    client of their own."""
    def logged_in(username):
        make_user(username)
        person = WebUser(app.test_client())
        assert person.login(username).status_code == 302
        return person
    return logged_in


@pytest.fixture
def bob(logged_in):
    return logged_in("bob")


@pytest.fixture
def carol(logged_in):
    return logged_in("carol")


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


# The browser tests (marked `browser`): Debian's Chromium through Playwright.
CHROMIUM_VARIABLE = "SCRATCHPAD_TEST_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright's own browser download cannot work here: use Debian's."""
    executable = os.environ.get(CHROMIUM_VARIABLE) or DEFAULT_CHROMIUM
    if not os.access(executable, os.X_OK):
        unavailable(f"Chromium: {executable} is missing; install it with "
                    f"`apt-get install -y chromium` or set {CHROMIUM_VARIABLE}")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path).start()
    yield server
    server.stop()


HTTP_STATUS_MESSAGE = "Failed to load resource: the server responded with a status of"
NAVIGATION_CANCELLED = "net::ERR_ABORTED"


@pytest.fixture
def console_errors(page):
    """Console errors (Content-Security-Policy violations among them), uncaught
    exceptions, and files of a page that failed to load, as they happen.

    A page answered with an error status on purpose (a failed login is 401)
    also logs a console error; those are left to the test's own checks."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith(HTTP_STATUS_MESSAGE):
            errors.append(message.text)

    def on_request_failed(request):
        # The browser drops what it was still fetching (the icon, say) when
        # the page moves on: that is the page leaving, not a file failing.
        if request.failure != NAVIGATION_CANCELLED:
            errors.append(f"{request.url} failed: {request.failure}")

    def on_response(response):
        if response.request.resource_type != "document" and response.status >= 400:
            errors.append(f"{response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return errors


@pytest.fixture
def screenshot(request):
    """Save the whole page as test-artifacts/<test>-<number>-<name>.png, or in
    a colour mode as …-<name>-<mode>.png, under the number of that name."""
    ARTIFACTS.mkdir(exist_ok=True)
    test_name = request.node.originalname.removeprefix("test_")
    numbers = {}

    def screenshot(page, name, mode=None):
        number = numbers.setdefault(name, len(numbers) + 1)
        suffix = f"-{mode}" if mode else ""
        page.screenshot(path=ARTIFACTS / f"{test_name}-{number:02}-{name}{suffix}.png",
                        full_page=True)

    return screenshot


WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
COLOUR_MODES = ("light", "dark")


class AccessibilityAudit:
    """axe-core (shipped by axe-playwright-python, run in the page) checking
    pages against WCAG 2.2 A and AA, in the light and the dark colour mode as
    the system prefers them; what it finds is kept in ``violations``. Each
    page is also saved in dark mode, with ``screenshot(page, name, mode)``."""

    def __init__(self, screenshot):
        self.axe = Axe()
        self.screenshot = screenshot
        self.checked = []
        self.violations = []

    def check(self, page, name):
        for mode in COLOUR_MODES:
            # Without motion: Bootstrap's buttons take 0.15 s to change colour.
            page.emulate_media(color_scheme=mode, reduced_motion="reduce")
            expect(page.locator("html")).to_have_attribute("data-bs-theme", mode)
            results = self.axe.run(page, options={
                "runOnly": {"type": "tag", "values": WCAG_A_AND_AA},
                "resultTypes": ["violations"],
            })
            for violation in results.response["violations"]:
                for node in violation["nodes"]:
                    self.violations.append(
                        f"{name} ({mode}): {violation['id']}: {violation['help']}: "
                        f"{' '.join(node['target'])}: {node['failureSummary']}")
            self.checked.append((name, mode))
            if mode == "dark":
                self.screenshot(page, name, mode)
        page.emulate_media(color_scheme="light", reduced_motion="no-preference")

    def assert_no_violations(self):
        assert self.checked, "no page was checked"
        assert not self.violations, "\n".join(self.violations)


@pytest.fixture
def accessibility(screenshot):
    """axe-core's check of pages against WCAG 2.2 A and AA, in both colour modes."""
    return AccessibilityAudit(screenshot)
