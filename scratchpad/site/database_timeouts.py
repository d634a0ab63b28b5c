"""How long the site waits for its database, in one place.

A database that refuses connections fails fast by itself; one that accepts
them and then stops answering (a frozen server, a stalled network) would hold
a worker until gunicorn kills it, and its visitor would get a bare error. So
every engine gets a connect timeout and a query timeout, both well inside
``GUNICORN_TIMEOUT``; past them the driver raises, and the visitor gets the
503 page.

    DATABASE_CONNECT_TIMEOUT  seconds to open a connection (MariaDB, PostgreSQL)
    DATABASE_QUERY_TIMEOUT    seconds to wait for any answer of the server;
                              for SQLite, how long to wait for another
                              process's write lock. 0: no limit.

A request meeting a silent server waits at most the connect timeout plus
twice the query timeout (the pooled connection's check, then the greeting of
a new connection): 21 s by default, inside gunicorn's 30.

MariaDB/MySQL drivers have read and write timeouts of their own. psycopg has
none: a watch thread per process ends a query that has been running for too
long by shutting its socket down, which the driver reports as a lost
connection (and the pool replaces it).
"""
import os
import socket
import threading
import time
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import make_url

DEFAULT_CONNECT_TIMEOUT = 5
DEFAULT_QUERY_TIMEOUT = 8


def connect_arguments(url, connect_timeout, query_timeout):
    """The driver's own arguments that bound each wait, for ``url``."""
    driver = make_url(url).drivername
    if driver.startswith("sqlite"):
        # The busy timeout: how long a write waits for another one to finish.
        return {"timeout": query_timeout or 3600}
    if driver == "mysql+pymysql":
        arguments = {"connect_timeout": connect_timeout}
        if query_timeout:
            arguments.update(read_timeout=query_timeout, write_timeout=query_timeout)
        return arguments
    if driver == "mysql+mysqlconnector":
        arguments = {"connection_timeout": connect_timeout}
        if query_timeout:
            arguments.update(read_timeout=query_timeout, write_timeout=query_timeout)
        return arguments
    if driver.startswith("postgresql"):
        # The keepalives notice a peer that has gone from the network
        # altogether; the watch below, a server that is there but silent.
        return {"connect_timeout": connect_timeout, "keepalives": 1, "keepalives_idle": 10,
                "keepalives_interval": 2, "keepalives_count": 3,
                "tcp_user_timeout": (query_timeout or 60) * 1000}
    return {}


def engine_options(config):
    """SQLALCHEMY_ENGINE_OPTIONS with the timeouts added to ``connect_args``
    (other arguments given there in the settings are kept)."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    arguments = connect_arguments(config["SQLALCHEMY_DATABASE_URI"],
                                  config["DATABASE_CONNECT_TIMEOUT"],
                                  config["DATABASE_QUERY_TIMEOUT"])
    options["connect_args"] = {**options.get("connect_args", {}), **arguments}
    return options


def watch_queries(engine, seconds):
    """End any query on ``engine`` that runs longer than ``seconds`` (psycopg)."""
    if not seconds or engine.dialect.driver != "psycopg":
        return
    watch = LongQueryWatch(seconds)
    sa.event.listen(engine, "connect", lambda connection, record: watch.add(connection))
    sa.event.listen(engine, "before_cursor_execute",
                    lambda connection, cursor, *statement: watch.started(cursor.connection))


class LongQueryWatch:
    """Looks at each of the process's psycopg connections a few times a
    second; one that has been busy with one query for longer than ``seconds``
    has its socket shut down, so the waiting driver raises at once. (Each
    statement counts as a new start, so a long run of short ones is left be.)"""

    INTERVAL = 0.25

    def __init__(self, seconds):
        self.seconds = seconds
        self._connections = weakref.WeakKeyDictionary()  # connection -> (busy since, starts)
        self._starts = weakref.WeakKeyDictionary()  # connection -> statements begun
        self._lock = threading.Lock()
        self._thread_pid = None

    def add(self, connection):
        with self._lock:
            self._connections[connection] = (None, 0)
            self._starts[connection] = 0
            # A forked worker inherits no threads: each process starts its own.
            if self._thread_pid != os.getpid():
                self._thread_pid = os.getpid()
                threading.Thread(target=self._run, daemon=True,
                                 name="scratchpad-query-watch").start()

    def started(self, connection):
        with self._lock:
            if connection in self._starts:
                self._starts[connection] += 1

    def _run(self):
        while True:
            time.sleep(self.INTERVAL)
            now = time.monotonic()
            with self._lock:
                watched = [(connection, busy_since, self._starts.get(connection, 0))
                           for connection, (busy_since, _) in self._connections.items()]
                seen_starts = {connection: starts
                               for connection, (_, starts) in self._connections.items()}
            for connection, busy_since, starts in watched:
                if not self._busy(connection):
                    busy_since = None
                elif busy_since is None or starts != seen_starts[connection]:
                    busy_since = now
                elif now - busy_since > self.seconds:
                    self._end(connection)
                    busy_since = None
                with self._lock:
                    if connection in self._connections:
                        self._connections[connection] = (busy_since, starts)

    @staticmethod
    def _busy(connection):
        from psycopg.pq import TransactionStatus  # only sites on PostgreSQL load psycopg
        try:
            return connection.pgconn.transaction_status == TransactionStatus.ACTIVE
        except Exception:  # closed meanwhile
            return False

    @staticmethod
    def _end(connection):
        try:
            descriptor = os.dup(connection.pgconn.socket)
        except Exception:  # closed meanwhile
            return
        with socket.socket(fileno=descriptor) as stalled:
            try:
                stalled.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
