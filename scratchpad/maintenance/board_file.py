"""The whole board as one JSON Lines file, the same from and for every engine.

The first line says what the file is::

    {"format": "scratchpad-board", "version": 2, "revision": "0018",
     "rows": {"users": 2, "comments": 3, "comment_revisions": 0, "comment_reports": 0,
              "site_settings": 1}}

and each line after it is one row, users first (comments name them), each
table in the order of its key, every column kept::

    {"table": "users", "row": {"id": 1, "username": "bob", "password_hash": "…", …}}
    {"table": "comments", "row": {"id": 1, "content": "Hi 😀", "posted": "2017-09-01T17:44:00", …}}

Times are ISO 8601 in UTC, to the microsecond; text beyond ASCII is written
as JSON's \\u escapes, so the file reads back the same through any
terminal or pipe. The rows are
read in one transaction at REPEATABLE READ (SQLite: one read transaction),
so the file is one moment of a board that may go on changing meanwhile.

What lets someone in as one of the accounts (login sessions, API tokens, the
links mailed or handed out) is never written: after an import or a restore,
everyone logs in again. Version 1 files, from before the settings were
carried, are read as they are, and leave the settings alone.
"""
import json
from datetime import datetime

import sqlalchemy as sa
from alembic.migration import MigrationContext

from ..board.page_cache import RAISE_VERSION
from ..models import (AccountToken, ApiToken, Comment, CommentReport, CommentRevision,
                      LoginSession, SiteSetting, User)

FORMAT = "scratchpad-board"
VERSION = 2
# In the order they are written and read back: a comment names its user (and
# a reply the comment before it, so id order suffices); revisions and reports
# name both. The administrators' settings stand alone.
CONTENT = (User.__table__, Comment.__table__, CommentRevision.__table__,
           CommentReport.__table__)
TABLES = (*CONTENT, SiteSetting.__table__)
TABLES_BY_NAME = {table.name: table for table in TABLES}
# The tables each version of the format holds.
TABLES_OF_VERSION = {1: CONTENT, 2: TABLES}
# Never written to a file: what lets someone in as one of the accounts.
CREDENTIALS = (LoginSession.__table__, ApiToken.__table__, AccountToken.__table__)
BATCH = 1000
NOT_CARRIED = ("Login sessions, API tokens and mailed links are not carried, on purpose: "
               "everyone logs in again.")


class BoardFileError(Exception):
    """The file is not a board this database can take; nothing was changed."""


class BoardNotEmpty(BoardFileError):
    pass


def current_revision(connection):
    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if len(heads) == 1 else None


def to_json(value):
    return value.isoformat() if isinstance(value, datetime) else value


def from_json(column, value):
    if value is not None and isinstance(column.type, sa.DateTime):
        return datetime.fromisoformat(value)
    return value


def snapshot_connection(engine):
    """A connection whose reads all see one moment of the database."""
    if engine.dialect.name == "sqlite":
        return engine.connect()
    return engine.connect().execution_options(isolation_level="REPEATABLE READ")


def write_board(engine, stream):
    """Writes the board to ``stream`` (text); returns the rows per table."""
    with snapshot_connection(engine) as connection, connection.begin():
        if engine.dialect.name == "sqlite":
            # The driver begins nothing before a SELECT; this makes the reads one transaction.
            connection.exec_driver_sql("BEGIN")
        counts = {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                  for table in TABLES}
        header = {"format": FORMAT, "version": VERSION,
                  "revision": current_revision(connection), "rows": counts}
        stream.write(json.dumps(header) + "\n")
        for table in TABLES:
            for row in rows_in_id_order(connection, table):
                line = {"table": table.name,
                        "row": {name: to_json(value) for name, value in row.items()}}
                stream.write(json.dumps(line) + "\n")
    return counts


def rows_in_id_order(connection, table):
    """Every row, in the order of the table's key, a batch at a time, so no
    one query runs long."""
    [key] = table.primary_key.columns
    last = None
    while True:
        query = sa.select(table).order_by(key).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        batch = connection.execute(query).mappings().all()
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1][key.name]


def read_board(stream):
    """The header and the rows ({table: [row, …]}) of a board file, checked
    whole before anything is written: its format, version and row counts."""
    first = stream.readline()
    try:
        header = json.loads(first)
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BoardFileError("This is not a Scratchpad board file (its first line is not "
                             f"a {FORMAT} header).")
    tables = TABLES_OF_VERSION.get(header.get("version"))
    if tables is None:
        raise BoardFileError(f"The file is in version {header.get('version')} of the format; "
                             f"this Scratchpad reads versions 1 to {VERSION}.")
    tables_by_name = {table.name: table for table in tables}
    rows = {name: [] for name in tables_by_name}
    for number, line in enumerate(stream, start=2):
        try:
            entry = json.loads(line)
            table = tables_by_name[entry["table"]]
            row = {column.name: from_json(column, entry["row"][column.name])
                   for column in table.columns}
        except (ValueError, KeyError, TypeError, RecursionError) as error:
            raise BoardFileError(f"Line {number} of the file is not a row of the board "
                                 f"({type(error).__name__}: {error}).") from None
        rows[table.name].append(row)
    expected = header.get("rows", {})
    for name, table_rows in rows.items():
        if expected.get(name) != len(table_rows):
            raise BoardFileError(f"The file should hold {expected.get(name)} {name} but holds "
                                 f"{len(table_rows)}: it is incomplete or damaged.")
    return header, rows


def load_board(engine, header, rows, replace=False):
    """Writes checked rows into the board, in one transaction: all or nothing.
    Refuses a board that has rows unless ``replace``."""
    with engine.begin() as connection:
        revision = current_revision(connection)
        if revision != header.get("revision"):
            raise BoardFileError(
                f"The file is from a database at revision {header.get('revision')}, and this "
                f"one is at {revision or 'no revision'}: bring both to the same revision "
                "(`flask db upgrade`) first.")
        tables = [TABLES_BY_NAME[name] for name in rows]
        present = {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                   for table in CONTENT}
        if any(present.values()) and not replace:
            raise BoardNotEmpty(
                "The board is not empty (" + ", ".join(f"{n} {t}" for t, n in present.items())
                + "); nothing was changed. Use an empty database, or --replace to replace it.")
        # The replaced accounts' logins and tokens go with them: SQLite does
        # not enforce the foreign keys, and would let them name the file's
        # accounts of the same ids.
        for table in CREDENTIALS:
            connection.execute(sa.delete(table))
        for table in reversed(tables):
            connection.execute(sa.delete(table))
        for table in tables:
            table_rows = rows[table.name]
            for start in range(0, len(table_rows), BATCH):
                connection.execute(sa.insert(table), table_rows[start:start + BATCH])
        continue_ids_after_the_rows(connection)
        connection.execute(RAISE_VERSION)
    return {name: len(table_rows) for name, table_rows in rows.items()}


def continue_ids_after_the_rows(connection):
    """New rows get ids after the imported ones. MySQL's AUTO_INCREMENT and
    SQLite's AUTOINCREMENT move past ids written explicitly by themselves;
    PostgreSQL's sequences do not."""
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        if "id" not in table.c:
            continue
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
            f" COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
