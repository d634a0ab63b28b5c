"""The front door's own database connection, for its one statement a request.

Each thread of a process keeps one connection for the front door's readings,
in autocommit mode. A reading is then one round trip to the database, where a
connection taken from the pool costs three on MariaDB and PostgreSQL: the
pool's check that the connection is alive, the statement, and the rollback as
it goes back. A connection the database has dropped (restarted, or closed
for being idle) fails at once: it is replaced and the statement asked again,
as the pool's check would have done. An error that took longer to come (a
server that has stopped answering) is not asked twice, so that a request
waits no longer than through the pool; it is raised, like any other error,
for the site to answer with its error page. The connections end with the
engine's ``dispose()``.
"""
import threading
import time
import weakref

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

# A dropped connection's error comes at once; a silent server's, after the
# query timeout.
FAILED_AT_ONCE_SECONDS = 1.0


class ReadingConnection:
    def __init__(self, engine):
        self._engine = engine
        self._local = threading.local()
        self._held = weakref.WeakSet()
        self._lock = threading.Lock()
        sa.event.listen(engine, "engine_disposed", self._close_all)

    def one(self, statement, parameters=None):
        """The one row ``statement`` reads."""
        for attempt in range(2):
            connection = None
            asked = time.monotonic()
            try:
                connection = self._connection()
                return connection.execute(statement, parameters).one()
            except DBAPIError as error:
                self._drop(connection)
                dropped = error.connection_invalidated or isinstance(error, OperationalError)
                if attempt or not dropped or not self._at_once(asked):
                    raise
            except self._engine.dialect.loaded_dbapi.Error as error:
                # Raised as it is by the driver while the new connection is
                # put in autocommit mode: a connection the pool did not check
                # (pool_pre_ping off) can be one the server has dropped.
                self._drop(connection)
                if attempt or not self._at_once(asked):
                    raise DBAPIError.instance(None, None, error,
                                              self._engine.dialect.loaded_dbapi.Error,
                                              dialect=self._engine.dialect) from error
            except SQLAlchemyError:
                self._drop(connection)
                raise

    @staticmethod
    def _at_once(asked):
        return time.monotonic() - asked < FAILED_AT_ONCE_SECONDS

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed or connection.invalidated:
            connection = self._engine.connect()
            self._local.connection = connection
            with self._lock:
                self._held.add(connection)
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection

    def _drop(self, connection):
        self._local.connection = None
        if connection is None:
            return
        with self._lock:
            self._held.discard(connection)
        self._close(connection)

    def _close_all(self, engine):
        with self._lock:
            held = list(self._held)
            self._held.clear()
        for connection in held:
            self._close(connection)

    @staticmethod
    def _close(connection):
        try:
            connection.close()
        except SQLAlchemyError:
            pass  # a connection the pool cannot take back is discarded
