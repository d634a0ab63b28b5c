"""Eight people post through gunicorn while the database fails under them: a
PostgreSQL server of the test's own shut down (`pg_ctl stop -m fast`) and
started again, a MariaDB server gone silent behind a proxy and back. Every
answer is a 2xx/3xx/4xx or the styled 503 page with one Retry-After, none
waits past the timeouts, every acknowledged comment is stored exactly once,
and the site recovers with no restart."""
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from scratchpad import create_app
from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import Comment
from support.site_processes import GunicornServer, Visitor

from .engines import ThrowAwayDatabase
from .helpers import PASSWORD
from .postgres_cluster import PostgresCluster
from .tcp_proxy import LOOPBACK, CuttableProxy

pytestmark = pytest.mark.slow

POSTERS = [f"poster{number}" for number in range(8)]
CONNECT_TIMEOUT = 1
QUERY_TIMEOUT = 2
LONGEST_WAIT = CONNECT_TIMEOUT + 2 * QUERY_TIMEOUT + 1
STYLED_503 = "The database is not answering"


@dataclass
class Answer:
    text: str
    status: int
    seconds: float
    retry_after_headers: int
    styled: bool


def prepare_board(url):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 32})
    with app.app_context():
        upgrade()
        for username in POSTERS:
            service.create_user(username, PASSWORD)
        db.engine.dispose()


def stored_comments(url):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 32})
    with app.app_context():
        texts = list(db.session.scalars(sa.select(Comment.content)))
        db.engine.dispose()
    return texts


def start_site(url, tmp_path):
    server = GunicornServer("wsgi:application", {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "fault test key " + uuid.uuid4().hex,
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_REMEMBER_COOKIE_SECURE": "false",
        "SCRATCHPAD_COMMENT_LIMITS_PER_USER": "100000 per minute",
        "SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS": "100000 per minute",
        "SCRATCHPAD_DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "SCRATCHPAD_DATABASE_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
    }, tmp_path / "gunicorn.log", workers=len(POSTERS))  # time waited is never time queued
    server.wait_until_serving()
    return server


def logged_in_visitor(site_url, username):
    """A visitor logged in as ``username``, and the CSRF token of its board form."""
    visitor = Visitor(site_url)
    assert visitor.log_in(username, PASSWORD) == 302
    return visitor, visitor.csrf_token("/")


class Posters:
    """POSTERS logged in and posting numbered comments until told to stop."""

    def __init__(self, site_url):
        self.answers = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        # Everyone is logged in before the first post, so that no login meets the fault.
        with ThreadPoolExecutor(len(POSTERS)) as pool:
            visitors = list(pool.map(lambda username: logged_in_visitor(site_url, username),
                                     POSTERS))
        self._threads = [threading.Thread(target=self._post, args=(*visitor, username))
                         for visitor, username in zip(visitors, POSTERS)]
        for thread in self._threads:
            thread.start()

    def _post(self, visitor, token, username):
        number = 0
        while not self._stop.is_set():
            text = f"{username} comment {number}"
            number += 1
            started = time.monotonic()
            status, _, body = visitor.request("/", {"contents": text, "csrf_token": token})
            answer = Answer(text, status, time.monotonic() - started,
                            len(visitor.last_headers.get_all("Retry-After") or []),
                            '<nav class="navbar' in body and STYLED_503 in body)
            with self._lock:
                self.answers.append(answer)

    def count(self, status):
        with self._lock:
            return sum(answer.status == status for answer in self.answers)

    def wait_for(self, condition, seconds=60):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, "the posters never got there"
            time.sleep(0.05)

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join()


def check_and_report(name, posters, stored):
    answers = posters.answers
    acknowledged = [answer.text for answer in answers if answer.status == 302]
    statuses = Counter(answer.status for answer in answers)
    counts = Counter(stored)
    print(f"\n{name}: sent {len(answers)}, acknowledged {len(acknowledged)}, stored {len(stored)}, "
          f"5xx {sum(n for status, n in statuses.items() if status >= 500)} "
          f"({dict(statuses)}), longest wait {max(a.seconds for a in answers):.1f} s")
    for answer in answers:
        assert answer.status < 500 or (answer.status == 503 and answer.styled
                                       and answer.retry_after_headers == 1), answer
        assert answer.seconds < LONGEST_WAIT, answer
    assert statuses[503] > 0  # the fault was felt
    assert all(counts[text] == 1 for text in acknowledged)
    # Nothing stored twice. A comment may be stored though its answer was the
    # 503 page: its COMMIT reached the server after the app gave up waiting.
    assert max(counts.values()) == 1


def test_postgresql_shut_down_and_started_under_load(tmp_path):
    cluster = PostgresCluster()
    try:
        url = make_url(cluster.url).set(database="scratchpad").render_as_string(
            hide_password=False)
        admin = sa.create_engine(make_url(cluster.url).set(drivername="postgresql+psycopg"),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE scratchpad"))
        admin.dispose()
        prepare_board(url)
        site = start_site(url, tmp_path)
        try:
            posters = Posters(site.url)
            for _ in range(2):  # two outages, as a restart for maintenance would be
                acknowledged = posters.count(302)
                posters.wait_for(lambda: posters.count(302) >= acknowledged + 50)
                cluster.stop("fast")
                failed = posters.count(503)
                posters.wait_for(lambda: posters.count(503) >= failed + 10)
                cluster.start()
            acknowledged = posters.count(302)
            posters.wait_for(lambda: posters.count(302) >= acknowledged + 50)
            posters.stop()
            assert "Internal Server Error" not in site.log()
        finally:
            site.stop()
        check_and_report("PostgreSQL stopped (fast) twice", posters, stored_comments(url))
    finally:
        cluster.remove()


def test_mariadb_silent_under_load(tmp_path_factory, tmp_path):
    database = ThrowAwayDatabase("mysql-pymysql", tmp_path_factory)
    server = make_url(database.url)
    proxy = CuttableProxy((server.host, server.port or 3306))
    try:
        prepare_board(database.url)
        proxied = server.set(host=LOOPBACK, port=proxy.port).render_as_string(hide_password=False)
        site = start_site(proxied, tmp_path)
        try:
            posters = Posters(site.url)
            posters.wait_for(lambda: posters.count(302) >= 50)
            proxy.stall()
            posters.wait_for(lambda: posters.count(503) >= 10)
            proxy.resume()
            acknowledged = posters.count(302)
            posters.wait_for(lambda: posters.count(302) >= acknowledged + 50)
            posters.stop()
            assert "WORKER TIMEOUT" not in site.log()
        finally:
            site.stop()
        check_and_report("MariaDB silent", posters, stored_comments(database.url))
    finally:
        proxy.close()
        database.drop()
