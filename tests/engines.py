"""Throw-away databases on the engines the tests run against.

SQLite always runs. MariaDB/MySQL and PostgreSQL run when their server URLs are
given in the environment, and are skipped with the reason otherwise; with
SCRATCHPAD_TEST_REQUIRE_ENGINES=1 (as .ci/run sets it) a missing or unreachable
server fails the run instead.
"""
import os
import uuid

import pytest
import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

MYSQL_URL_VARIABLE = "SCRATCHPAD_TEST_MYSQL_URL"
POSTGRES_URL_VARIABLE = "SCRATCHPAD_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "SCRATCHPAD_TEST_REQUIRE_ENGINES"
REDIS_URL_VARIABLE = "SCRATCHPAD_TEST_REDIS_URL"

# engine name -> (environment variable with the server URL, driver)
SERVER_ENGINES = {
    "mysql-pymysql": (MYSQL_URL_VARIABLE, "mysql+pymysql"),
    "mysql-connector": (MYSQL_URL_VARIABLE, "mysql+mysqlconnector"),
    "postgresql": (POSTGRES_URL_VARIABLE, "postgresql+psycopg"),
}
ENGINES = ["sqlite", *SERVER_ENGINES]


def engines_required():
    return os.environ.get(REQUIRE_VARIABLE, "").lower() in ("1", "true", "yes")


def unavailable(reason):
    if engines_required():
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE} is set, so this engine must run)", pytrace=False)
    pytest.skip(reason)


def server_url(engine):
    """The server URL for an engine, with its driver; skips when not given."""
    variable, driver = SERVER_ENGINES[engine]
    url = os.environ.get(variable)
    if not url:
        unavailable(f"{engine}: set {variable} to a server URL to run these tests")
    return make_url(url).set(drivername=driver)


def reachable_redis_url():
    """The Redis server URL for limits shared between processes; skips when
    not given or not answering."""
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        unavailable(f"Redis: set {REDIS_URL_VARIABLE} to a server URL to run this test")
    try:
        redis.Redis.from_url(url, socket_timeout=5).ping()
    except redis.RedisError as error:
        unavailable(f"Redis: cannot reach {url}: {error}")
    return url


class ThrowAwayDatabase:
    """A database made for a test run and dropped after it."""

    def __init__(self, engine, tmp_path_factory, mysql_charset="utf8mb4", prefix="scratchpad_test_",
                 server=None):
        """``mysql_charset`` is the MySQL database's default character set,
        which tables made without one of their own take; ``prefix`` begins
        the server database's name; ``server`` is the URL of the server to
        make it on, by default the one the environment gives for ``engine``."""
        self.engine_name = engine
        self.mysql_charset = mysql_charset
        if engine == "sqlite":
            path = tmp_path_factory.mktemp("sqlite") / "scratchpad.sqlite"
            self.url = f"sqlite:///{path}"
            self._admin_url = None
            return
        base = server or server_url(engine)
        self.name = f"{prefix}{uuid.uuid4().hex[:12]}"
        self._admin_url = base
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        try:
            self._admin(self._create_statement())
        except sa.exc.DBAPIError as error:
            unavailable(f"{engine}: cannot reach {base.render_as_string()}: {error.orig}")

    def _create_statement(self):
        if self.engine_name.startswith("mysql"):
            collation = " COLLATE utf8mb4_unicode_ci" if self.mysql_charset == "utf8mb4" else ""
            return f"CREATE DATABASE `{self.name}` CHARACTER SET {self.mysql_charset}{collation}"
        return f'CREATE DATABASE "{self.name}"'

    def _admin(self, statement):
        engine = sa.create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(statement))
        finally:
            engine.dispose()

    def drop(self):
        if self._admin_url is None:
            return
        quote = "`" if self.engine_name.startswith("mysql") else '"'
        force = " WITH (FORCE)" if self.engine_name == "postgresql" else ""
        self._admin(f"DROP DATABASE IF EXISTS {quote}{self.name}{quote}{force}")
