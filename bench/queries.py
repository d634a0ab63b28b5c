"""What one page costs the database: its statements, counted as the page is
served in-process with the benchmarked settings, and the plans the database
makes for them."""
import re
import statistics
import time

import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.extensions import db

EXPLAIN_PREFIX = {"sqlite": "EXPLAIN QUERY PLAN ", "mysql": "EXPLAIN ", "postgresql": "EXPLAIN "}


class PageStatements:
    """Serves pages through a test client of an app on the benchmark's
    database, with the page cache on or off, recording each SQL statement
    with its parameters."""

    def __init__(self, database_app, page_cache):
        self.app = create_app({**database_app.config, "BOARD_PAGE_CACHE": page_cache})
        self.client = self.app.test_client()

    def log_in(self, username, password):
        page = self.client.get("/login/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status = self.client.post("/login/", data={
            "username": username, "password": password, "csrf_token": token}).status_code
        if status != 302:
            raise RuntimeError(f"logging in as {username} answered {status}")

    def statements(self, path):
        recorded = []

        def record(conn, cursor, statement, parameters, context, executemany):
            recorded.append((statement, parameters))

        with self.app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            status = self.client.get(path).status_code
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return recorded

    def median_ms(self, path, repeats=60):
        """The median time to serve ``path`` in-process, without HTTP or a
        second process competing: the page's own cost."""
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            self.client.get(path)
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    def close(self):
        with self.app.app_context():
            db.engine.dispose()

    def plan(self, statement, parameters):
        """The database's plan for a recorded statement, one line per step."""
        with self.app.app_context():
            dialect = db.engine.dialect.name
            with db.engine.connect() as connection:
                rows = connection.exec_driver_sql(EXPLAIN_PREFIX[dialect] + statement,
                                                  parameters).mappings().all()
        if dialect == "sqlite":
            return [row["detail"] for row in rows]
        if dialect == "mysql":
            return [f"{row['table']}: access {row['type']}, key {row['key']}, "
                    f"~{row['rows']} rows, {row['Extra'] or ''}".rstrip(", ") for row in rows]
        return [row["QUERY PLAN"] for row in rows]
