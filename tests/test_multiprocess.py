"""Two gunicorn servers of the site, two workers each, on one MariaDB database
and one Redis: comments posted through both at once are all kept exactly once,
both show the same board, and the login limit counts attempts on either."""
import os
import re
import subprocess
import sys
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import sqlalchemy as sa

from .engines import ThrowAwayDatabase, reachable_redis_url
from support.site_processes import REPOSITORY, GunicornServer, Visitor

pytestmark = pytest.mark.slow

SECRET_KEY = "multi-process test key " + uuid.uuid4().hex
PASSWORD = "correct horse battery"
USERS = ["ann", "ben", "cat", "dan"]
FLASK = [sys.executable, "-m", "flask", "--app", "scratchpad"]
COMMENTS = 500
PER_PAGE = 50
# The documented default: failed logins per username, 5 per minute.
FAILED_LOGINS_ALLOWED = 5


@pytest.fixture(scope="module")
def mariadb(tmp_path_factory):
    database = ThrowAwayDatabase("mysql-pymysql", tmp_path_factory)
    yield database
    database.drop()


@pytest.fixture(scope="module")
def site_environment(mariadb):
    url = reachable_redis_url()
    key_prefix = f"scratchpad-test-{uuid.uuid4().hex[:12]}"
    environment = {
        **os.environ,
        "DATABASE_URL": mariadb.url,
        "SECRET_KEY": SECRET_KEY,
        "SCRATCHPAD_RATELIMIT_STORAGE_URI": url,
        "SCRATCHPAD_RATELIMIT_KEY_PREFIX": key_prefix,
        # Plain http on the loopback: the cookies must travel without TLS.
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_REMEMBER_COOKIE_SECURE": "false",
        # Four people post 500 comments in seconds, all from one address.
        "SCRATCHPAD_COMMENT_LIMITS_PER_USER": "10000 per minute",
        "SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS": "10000 per minute",
        "SCRATCHPAD_COMMENTS_PER_PAGE": str(PER_PAGE),
    }
    environment.pop("SCRATCHPAD_LOGIN_LIMITS_PER_USERNAME", None)
    subprocess.run([*FLASK, "db", "upgrade"], cwd=REPOSITORY, env=environment, check=True,
                   capture_output=True)
    yield environment
    limits = redis.Redis.from_url(url)
    for key in limits.scan_iter(f"{key_prefix}*"):
        limits.delete(key)


def create_accounts(environment):
    """``flask users create NAME --password-stdin`` for every user, all at once."""
    commands = [
        subprocess.Popen([*FLASK, "users", "create", username, "--password-stdin"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, cwd=REPOSITORY, env=environment)
        for username in USERS
    ]
    for command in commands:
        output, _ = command.communicate(PASSWORD + "\n", timeout=120)
        assert command.returncode == 0, output


@pytest.fixture(scope="module")
def servers(site_environment, tmp_path_factory):
    """Both servers, serving a database that has the USERS' accounts."""
    logs = tmp_path_factory.mktemp("gunicorn")
    started = [GunicornServer("wsgi:application", site_environment,
                              logs / f"server{number}.log") for number in (1, 2)]
    try:
        create_accounts(site_environment)
        for server in started:
            server.wait_until_serving()
        yield started
    finally:
        for server in started:
            server.stop()


def post_comments(server, username, texts):
    """Log in on one server and post the texts one after another: each
    text with the status and Location the server answered."""
    visitor = Visitor(server.url)
    assert visitor.log_in(username, PASSWORD) == 302
    token = visitor.csrf_token("/")
    return [(text, *visitor.request("/", {"contents": text, "csrf_token": token})[:2])
            for text in texts]


def newest_page_ids(server):
    status, _, page = Visitor(server.url).request("/")
    assert status == 200
    return [int(comment_id) for comment_id in re.findall(r'id="comment-(\d+)"', page)]


def test_comments_posted_through_two_servers_are_each_kept_once(servers, mariadb):
    posters = [(server, username) for username in USERS for server in servers]
    jobs = [
        (server, username, [f"comment {number} by {username}"
                            for number in range(first, COMMENTS, len(posters))])
        for first, (server, username) in enumerate(posters)
    ]
    with ThreadPoolExecutor(len(jobs)) as pool:
        batches = pool.map(lambda job: post_comments(*job), jobs)
        answers = [answer for batch in batches for answer in batch]

    assert len(answers) == COMMENTS
    assert not [answer for answer in answers if answer[1] >= 500], "server errors"
    acknowledged = [text for text, status, location in answers
                    if status in (302, 303) and urllib.parse.urlsplit(location).path == "/"]
    assert len(acknowledged) == COMMENTS, [a for a in answers if a[0] not in acknowledged][:5]

    engine = sa.create_engine(mariadb.url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(sa.text(
                "SELECT c.content, u.username FROM comments c JOIN users u ON u.id = c.commenter_id"
            )).all()
            newest = connection.execute(sa.text(
                f"SELECT id FROM comments ORDER BY id DESC LIMIT {PER_PAGE}")).scalars().all()
    finally:
        engine.dispose()
    assert sorted(content for content, _ in stored) == sorted(acknowledged)
    assert all(content.endswith(f" by {username}") for content, username in stored)

    first, second = (newest_page_ids(server) for server in servers)
    assert first == second == newest


def test_failed_logins_are_counted_across_servers(servers):
    """Failed logins for one name, alternating between the servers (and so
    between four worker processes), are limited as one count."""
    visitors = [Visitor(server.url) for server in servers]
    answers = [visitors[attempt % 2].log_in("ann", "wrong password")
               for attempt in range(FAILED_LOGINS_ALLOWED + 1)]
    assert answers == [401] * FAILED_LOGINS_ALLOWED + [429]
    assert visitors[0].log_in("ann", PASSWORD) == 429
    assert visitors[1].log_in("ann", PASSWORD) == 429
