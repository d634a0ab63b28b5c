"""Throw-away databases: a SQLite file, or a database made on a MariaDB/MySQL
or PostgreSQL server for one run and dropped after it."""
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import make_url

# engine name -> driver
SERVER_DRIVERS = {
    "mysql-pymysql": "mysql+pymysql",
    "mysql-connector": "mysql+mysqlconnector",
    "postgresql": "postgresql+psycopg",
}


class DatabaseUnreachable(RuntimeError):
    """The server to make the database on did not answer."""


class ThrowAwayDatabase:
    """A database made for a test or benchmark run and dropped after it."""

    def __init__(self, engine, tmp_path_factory, mysql_charset="utf8mb4", prefix="scratchpad_test_",
                 server=None):
        """``mysql_charset`` is the MySQL database's default character set,
        which tables made without one of their own take; ``prefix`` begins
        the server database's name; ``server`` is the URL of the server to
        make it on (any driver: the engine's own is used)."""
        self.engine_name = engine
        self.mysql_charset = mysql_charset
        if engine == "sqlite":
            path = tmp_path_factory.mktemp("sqlite") / "scratchpad.sqlite"
            self.url = f"sqlite:///{path}"
            self._admin_url = None
            return
        base = make_url(server).set(drivername=SERVER_DRIVERS[engine])
        self.name = f"{prefix}{uuid.uuid4().hex[:12]}"
        self._admin_url = base
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        try:
            self._admin(self._create_statement())
        except sa.exc.DBAPIError as error:
            raise DatabaseUnreachable(
                f"{engine}: cannot reach {base.render_as_string()}: {error.orig}") from None

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
