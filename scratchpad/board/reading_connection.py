"""The front door's own database connections, for its one statement a request.

The front door keeps a connection or two of its own, in autocommit mode, and
takes one for each reading: a reading is then one round trip to the
database, where a connection taken from the pool costs three on MariaDB and
PostgreSQL: the pool's check that the connection is alive, the statement,
and the rollback as it goes back. A connection is only lent for the reading
and taken back at once, whatever thread asked (a server may start a thread
for every request); more readings at once than it keeps borrow from the pool
and give back to it.

A connection the database has dropped (restarted, or closed for being idle)
fails at once: it is replaced and the statement asked again, as the pool's
check would have done. An error that took longer to come (a server that has
stopped answering) is not asked twice, so that a request waits no longer
than through the pool; it is raised, like any other error, for the site to
answer with its error page. A connection an error came from is dropped
without the rollback that closing it would ask of the silent server. The
connections end with the engine's ``dispose()``.
"""
import threading
import time

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

# A dropped connection's error comes at once; a silent server's, after the
# query timeout.
FAILED_AT_ONCE_SECONDS = 1.0
# Connections kept between readings: a sync worker needs one; more, for a
# threaded server, would each be one fewer in the site's pool.
CONNECTIONS_KEPT = 2


class ReadingConnection:
    def __init__(self, engine):
        self._engine = engine
        self._idle = []
        self._lock = threading.Lock()
        sa.event.listen(engine, "engine_disposed", self._close_all)

    def one(self, statement, parameters=None):
        """The one row ``statement`` reads."""
        for attempt in range(2):
            connection = None
            asked = time.monotonic()
            try:
                connection = self._take()
                row = connection.execute(statement, parameters).one()
            except DBAPIError as error:
                self._discard(connection)
                dropped = error.connection_invalidated or isinstance(error, OperationalError)
                if attempt or not dropped or not self._at_once(asked):
                    raise
            except self._engine.dialect.loaded_dbapi.Error as error:
                # Raised as it is by the driver while the new connection is
                # put in autocommit mode: a connection the pool did not check
                # (pool_pre_ping off) can be one the server has dropped.
                self._discard(connection)
                if attempt or not self._at_once(asked):
                    raise DBAPIError.instance(None, None, error,
                                              self._engine.dialect.loaded_dbapi.Error,
                                              dialect=self._engine.dialect) from error
            except SQLAlchemyError:
                self._discard(connection)
                raise
            else:
                self._give_back(connection)
                return row

    @staticmethod
    def _at_once(asked):
        return time.monotonic() - asked < FAILED_AT_ONCE_SECONDS

    def _take(self):
        with self._lock:
            idle = self._idle.pop() if self._idle else None
        if idle is not None:
            if not idle.invalidated:
                return idle
            self._close(idle)
        connection = self._engine.connect()
        try:
            connection.execution_options(isolation_level="AUTOCOMMIT")
        except BaseException:
            self._close(connection)
            raise
        return connection

    def _give_back(self, connection):
        with self._lock:
            if len(self._idle) < CONNECTIONS_KEPT:
                self._idle.append(connection)
                return
        self._close(connection)

    def _close_all(self, engine):
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            self._close(connection)

    @classmethod
    def _discard(cls, connection):
        """Drops a connection an error came from without the rollback that
        closing it would send: a silent server would make it wait again."""
        if connection is not None and not connection.closed:
            try:
                connection.invalidate()
            except SQLAlchemyError:
                pass
        cls._close(connection)

    @staticmethod
    def _close(connection):
        if connection is None:
            return
        try:
            connection.close()
        except SQLAlchemyError:
            pass  # a connection the pool cannot take back is discarded
