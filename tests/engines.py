"""The engines the tests run against, and when they are skipped.

SQLite always runs. MariaDB/MySQL and PostgreSQL run when their server URLs are
given in the environment, and are skipped with the reason otherwise; with
SCRATCHPAD_TEST_REQUIRE_ENGINES=1 (as .ci/run sets it) a missing or unreachable
server fails the run instead.
"""
import os

import pytest
import redis

from support import databases

MYSQL_URL_VARIABLE = "SCRATCHPAD_TEST_MYSQL_URL"
POSTGRES_URL_VARIABLE = "SCRATCHPAD_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "SCRATCHPAD_TEST_REQUIRE_ENGINES"
REDIS_URL_VARIABLE = "SCRATCHPAD_TEST_REDIS_URL"

# engine name -> environment variable with the server URL
SERVER_ENGINES = {
    "mysql-pymysql": MYSQL_URL_VARIABLE,
    "mysql-connector": MYSQL_URL_VARIABLE,
    "postgresql": POSTGRES_URL_VARIABLE,
}
ENGINES = ["sqlite", *SERVER_ENGINES]
# The engines with one MySQL driver: for what differs by engine, not by driver.
ONE_DRIVER_EACH = ["sqlite", "mysql-pymysql", "postgresql"]


def engines_required():
    return os.environ.get(REQUIRE_VARIABLE, "").lower() in ("1", "true", "yes")


def unavailable(reason):
    if engines_required():
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE} is set, so this engine must run)", pytrace=False)
    pytest.skip(reason)


def server_url(engine):
    """The server URL the environment gives for an engine; skips when not given."""
    variable = SERVER_ENGINES[engine]
    url = os.environ.get(variable)
    if not url:
        unavailable(f"{engine}: set {variable} to a server URL to run these tests")
    return url


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


class ThrowAwayDatabase(databases.ThrowAwayDatabase):
    """A throw-away database on the server the environment names; skipped (or
    failed, when engines are required) when there is none or it is unreachable."""

    def __init__(self, engine, tmp_path_factory, server=None, **options):
        if engine != "sqlite" and server is None:
            server = server_url(engine)
        try:
            super().__init__(engine, tmp_path_factory, server=server, **options)
        except databases.DatabaseUnreachable as error:
            unavailable(str(error))
