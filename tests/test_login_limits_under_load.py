"""The failed-login limit under load and outage, against real servers: no
number of simultaneous wrong passwords for one name gets more than the limit
answered 401, under `flask run` and under two gunicorn servers sharing Redis;
and an unreachable or frozen Redis is logged once, costs a request no more
than its short timeout, and the limit holds meanwhile in each process."""
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from support.site_processes import REPOSITORY, GunicornServer, Visitor, free_port, stop_process

from .engines import reachable_redis_url
from .live_server import LiveServer

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
# The documented default: login attempts per username, 5 per minute.
ALLOWED = 5
FLASK = [sys.executable, "-m", "flask", "--app", "scratchpad"]


def simultaneous_wrong_logins(urls, count, username="ann"):
    """``count`` visitors, spread over ``urls``, each with its form open,
    send a wrong password for ``username`` at the same moment: the statuses."""
    visitors = [Visitor(urls[number % len(urls)]) for number in range(count)]
    forms = [{"username": username, "password": f"wrong {number}",
              "csrf_token": visitor.csrf_token("/login/")}
             for number, visitor in enumerate(visitors)]
    start = threading.Barrier(count)

    def attempt(number):
        start.wait()
        return visitors[number].request("/login/", forms[number])[0]

    with ThreadPoolExecutor(count) as pool:
        return sorted(pool.map(attempt, range(count)))


@pytest.fixture
def live_server(tmp_path):
    server = LiveServer(tmp_path)
    # Every visitor comes from 127.0.0.1: only the per-name limit is tested.
    server.environment["SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS"] = "10000 per minute"
    server.flask("db", "upgrade")
    server.create_user("ann", PASSWORD)
    server.start()
    yield server
    server.stop()


def test_simultaneous_wrong_passwords_get_no_more_than_the_limit_under_flask_run(live_server):
    statuses = simultaneous_wrong_logins([live_server.url], 40)
    assert statuses.count(401) == ALLOWED, statuses
    assert statuses.count(429) == 40 - ALLOWED, statuses
    assert Visitor(live_server.url).log_in("ann", PASSWORD) == 429


def site_environment(tmp_path, storage_uri, **settings):
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'scratchpad.sqlite'}",
        "SECRET_KEY": "limits under load test key " + uuid.uuid4().hex,
        "SCRATCHPAD_RATELIMIT_STORAGE_URI": storage_uri,
        "SCRATCHPAD_RATELIMIT_KEY_PREFIX": f"scratchpad-test-{uuid.uuid4().hex[:12]}",
        "SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS": "10000 per minute",
        # Plain http on the loopback: the cookies must travel without TLS.
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_REMEMBER_COOKIE_SECURE": "false",
        **settings,
    }


def prepare_database(environment):
    subprocess.run([*FLASK, "db", "upgrade"], cwd=REPOSITORY, env=environment, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([*FLASK, "users", "create", "ann", "--password-stdin"], cwd=REPOSITORY,
                   env=environment, input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True, timeout=120)


def start_servers(environment, log_folder, count, workers=2):
    servers = [GunicornServer("wsgi:application", environment, log_folder / f"server{n}.log",
                              workers=workers) for n in range(count)]
    for server in servers:
        server.wait_until_serving()
    return servers


def test_simultaneous_wrong_passwords_on_two_servers_sharing_redis(tmp_path):
    url = reachable_redis_url()
    environment = site_environment(tmp_path, url)
    prepare_database(environment)
    servers = start_servers(environment, tmp_path, 2)
    try:
        statuses = simultaneous_wrong_logins([server.url for server in servers], 12)
        assert statuses.count(401) == ALLOWED, statuses
        assert statuses.count(429) == 12 - ALLOWED, statuses
        assert Visitor(servers[1].url).log_in("ann", PASSWORD) == 429
    finally:
        for server in servers:
            server.stop()
        limits = redis.Redis.from_url(url)
        for key in limits.scan_iter(environment["SCRATCHPAD_RATELIMIT_KEY_PREFIX"] + "*"):
            limits.delete(key)


class OwnRedis:
    """A redis-server of the test's own on a free port, to freeze and kill."""

    def __init__(self, folder):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url, socket_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.thaw()
            stop_process(self.process, seconds=10)


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    yield server
    server.stop()


def timed_login(visitor, password="wrong password"):
    token = visitor.csrf_token("/login/")
    started = time.monotonic()
    status = visitor.request("/login/", {"username": "ann", "password": password,
                                         "csrf_token": token})[0]
    return status, time.monotonic() - started


def wait_for(condition, seconds=30, poke=None):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        if poke:
            poke()
        time.sleep(0.2)
    return True


UNREACHABLE = "Rate limit storage unreachable"
RECOVERED = "Rate limit storage recovered"


def test_a_frozen_or_killed_redis_is_logged_and_never_holds_a_request(tmp_path, own_redis):
    environment = site_environment(tmp_path, own_redis.url,
                                   SCRATCHPAD_LOGIN_LIMITS_PER_USERNAME="3 per minute")
    prepare_database(environment)
    (server,) = start_servers(environment, tmp_path, 1, workers=1)
    try:
        visitor = Visitor(server.url)
        status, normal = timed_login(visitor)
        assert status == 401
        assert UNREACHABLE not in server.log()

        own_redis.freeze()
        answers = [timed_login(visitor) for _ in range(4)]
        slowest = max(seconds for _, seconds in answers)
        # The storage timeout is 0.3 s; a frozen Redis used to hold a request 10 s.
        assert slowest < normal + 1.5, (normal, answers)
        # The limit holds meanwhile, counted afresh in the process (3 per minute).
        assert [status for status, _ in answers] == [401, 401, 401, 429], answers
        assert visitor.log_in("ann", PASSWORD) == 429
        assert server.log().count(UNREACHABLE) == 1
        assert " WARNING flask-limiter: " + UNREACHABLE in server.log()

        own_redis.thaw()
        assert wait_for(lambda: RECOVERED in server.log(),
                        poke=lambda: Visitor(server.url).log_in("nobody", "wrong")), server.log()

        own_redis.kill()
        status, seconds = timed_login(Visitor(server.url))
        assert status in (401, 429)
        assert seconds < normal + 1.5
        assert wait_for(lambda: server.log().count(UNREACHABLE) == 2,
                        poke=lambda: Visitor(server.url).log_in("nobody", "wrong")), server.log()
    finally:
        server.stop()
