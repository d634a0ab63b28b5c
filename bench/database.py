"""A throw-away database for one benchmark run, brought to the newest
migration and filled with comments by bulk inserts inside the database."""
import tempfile
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from scratchpad import create_app
from scratchpad.accounts.passwords import hash_password
from scratchpad.config import database_url
from scratchpad.board.formatting import render
from scratchpad.extensions import db
from scratchpad.models import Comment, User
from support.databases import ThrowAwayDatabase

DEFAULT_SERVER_URLS = {
    "mysql": "mysql://root@127.0.0.1:3306/test",
    "postgresql": "postgresql://postgres@127.0.0.1:5432/test",
}
# The benchmark's --db choices, as support/databases.py names their engines.
SERVER_ENGINES = {"mysql": "mysql-pymysql", "postgresql": "postgresql"}
COMMENTERS = 300
PASSWORD = "benchmark password"
TEXT = ("Scratchpad benchmark comment {}: a paragraph of ordinary length, long enough to "
        "look like something a person would write on a board.")
POSTED = datetime(2024, 1, 1, 12, 0)
# Rows per INSERT … SELECT, so that no single transaction grows without bound.
SEED_CHUNK = 100_000


class BenchDatabase:
    """A new database on SQLite (a temporary file) or on a server, dropped by close()."""

    def __init__(self, kind, server_url=None):
        self.kind = kind
        self._directory = None
        self._server_database = None
        if kind == "sqlite":
            self._directory = tempfile.TemporaryDirectory(prefix="scratchpad-bench-")
            self.url = f"sqlite:///{Path(self._directory.name) / 'scratchpad.sqlite'}"
        else:
            server = make_url(database_url(server_url or DEFAULT_SERVER_URLS[kind]))
            self._server_database = ThrowAwayDatabase(
                SERVER_ENGINES[kind], tmp_path_factory=None, prefix="scratchpad_bench_",
                server=server)
            self.url = self._server_database.url
        # Seeding a hundred thousand rows into indexed tables runs past the
        # site's query timeout.
        self.app = create_app({"DATABASE_URL": self.url, "SECRET_KEY": "b" * 32,
                               "DATABASE_QUERY_TIMEOUT": 0})
        with self.app.app_context():
            upgrade()
        self.comments = 0

    def add_commenters(self):
        """COMMENTERS accounts, reader0 … reader299, all with PASSWORD (one
        hash for all: hashing each would take minutes for hundreds of them)."""
        password_hash = hash_password(PASSWORD)
        with self.app.app_context():
            db.session.execute(sa.insert(User), [
                {"username": f"reader{number}", "username_key": f"reader{number}",
                 "password_hash": password_hash}
                for number in range(COMMENTERS)
            ])
            db.session.commit()

    def fill_to(self, size):
        """Add comments until there are ``size``, each by one of the commenters."""
        with self.app.app_context():
            first_user = db.session.scalar(sa.select(sa.func.min(User.id)))
            while self.comments < size:
                stop = min(size, self.comments + SEED_CHUNK)
                allow_recursion(db.session.connection(), SEED_CHUNK)
                db.session.execute(numbered_comments(self.comments, stop, first_user))
                db.session.commit()
                self.comments = stop
            if self.kind == "postgresql":
                # What autovacuum would soon do; the planner needs the new row counts.
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()

    def add_threads(self, threads, replies):
        """``threads`` new top-level comments, formatted as the site formats
        them, each with ``replies`` replies, by the commenters in turn."""
        with self.app.app_context():
            first_user = db.session.scalar(sa.select(sa.func.min(User.id)))
            for thread in range(threads):
                text = f"Thread {thread}: *what* do you think of [this](https://example.com)?"
                top = Comment(content=text, rendered_html=render(text), posted=POSTED,
                              commenter_id=first_user + thread % COMMENTERS)
                db.session.add(top)
                db.session.flush()
                reply_text = TEXT + " A reply, with `code` in it."
                db.session.execute(sa.insert(Comment), [
                    {"content": reply_text.format(number), "parent_id": top.id,
                     "rendered_html": render(reply_text.format(number)), "posted": POSTED,
                     "commenter_id": first_user + (thread + number) % COMMENTERS}
                    for number in range(replies)
                ])
            db.session.commit()
        self.comments += threads * (1 + replies)

    def oldest_comment_id(self):
        with self.app.app_context():
            return db.session.scalar(sa.select(sa.func.min(Comment.id)))

    def close(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self._directory is not None:
            self._directory.cleanup()
        else:
            self._server_database.drop()


def allow_recursion(connection, depth):
    """MariaDB and MySQL stop a recursive CTE after 1,000 rounds by default."""
    if connection.dialect.name != "mysql":
        return
    if connection.dialect.is_mariadb:
        variable = "max_recursive_iterations"
    else:
        variable = "cte_max_recursion_depth"
    connection.exec_driver_sql(f"SET SESSION {variable} = {int(depth)}")


def numbered_comments(start, stop, first_user):
    """INSERT … SELECT of the comments numbered start+1 … stop, counted out by
    a recursive CTE in the database: no rows cross the connection."""
    numbers = sa.select(sa.literal(start + 1, sa.Integer).label("n")).cte("numbers", recursive=True)
    numbers = numbers.union_all(sa.select(numbers.c.n + 1).where(numbers.c.n < stop))
    prefix, suffix = TEXT.split("{}")
    content = (sa.literal(prefix, sa.String) + sa.cast(numbers.c.n, sa.String(12))
               + sa.literal(suffix, sa.String))
    rows = sa.select(
        content,
        sa.literal(POSTED, sa.DateTime),
        numbers.c.n % COMMENTERS + first_user,
    )
    return sa.insert(Comment).from_select(["content", "posted", "commenter_id"], rows)
