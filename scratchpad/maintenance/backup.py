"""Backups of a live board, taken without stopping the site, and restoring them.

On SQLite a backup is a copy of the database file made with SQLite's online
backup API (it retries while another process holds a write lock), checked
with ``PRAGMA integrity_check``. On MariaDB/MySQL and PostgreSQL it is the
board file of board_file.py, read in one REPEATABLE READ transaction: one
moment of the board, portable to any engine. Either kind is written beside
PATH first and renamed into place when complete, so PATH never holds half a
backup.

A restore reads and checks the whole file (its kind, format, revision and
row counts) before it changes anything, and then replaces the board's rows
in one transaction.
"""
import io
import os
import sqlite3
import tempfile
import time

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from . import board_file
from .board_file import BoardFileError

SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_ATTEMPTS = 20
LOCKED_PAUSE = 0.25


def take_backup(engine, path):
    """Writes a backup of the board to ``path``; returns what it holds, in words."""
    refuse_what_is_not_a_board_yet(engine)
    directory = os.path.dirname(os.path.abspath(path))
    descriptor, draft = tempfile.mkstemp(dir=directory, prefix=".scratchpad-backup-")
    os.close(descriptor)
    try:
        if engine.dialect.name == "sqlite":
            copy_sqlite_database(make_url(engine.url).database, draft)
            counts = count_rows(sqlite_engine(draft))
            kind = "a SQLite database file"
        else:
            with open(draft, "w", encoding="utf-8") as stream:
                counts = board_file.write_board(engine, stream)
            kind = "a board file"
        os.replace(draft, path)
    finally:
        if os.path.exists(draft):
            os.unlink(draft)
    return f"{kind} with {describe(counts)}"


def refuse_what_is_not_a_board_yet(engine):
    """A database without every table of the board (the tutorial's, or one
    of an older release) is not backed up as a board: the operator is told how
    to copy it as it is."""
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    missing = [table.name for table in board_file.TABLES if table.name not in tables]
    if missing:
        raise BoardFileError(
            f"This database is not a Scratchpad board of this version yet (it has no table "
            f"{missing[0]}), so it is not backed up as one: copy it as it is (the SQLite file "
            "with cp, MariaDB with mysqldump, PostgreSQL with pg_dump), then run "
            "`flask --app scratchpad db upgrade`.")


def copy_sqlite_database(source, target):
    """SQLite's online backup, in one step, retried while the database is locked."""
    for attempt in range(1, BACKUP_ATTEMPTS + 1):
        try:
            live = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5)
            copy = sqlite3.connect(target)
            try:
                live.backup(copy)
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                copy.close()
                live.close()
            if check != "ok":
                raise BoardFileError(f"The copy failed its integrity check: {check}")
            return
        except sqlite3.OperationalError:
            if attempt == BACKUP_ATTEMPTS:
                raise
            time.sleep(LOCKED_PAUSE)


def sqlite_engine(path):
    return sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")


def count_rows(engine):
    try:
        with engine.connect() as connection:
            return {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                    for table in board_file.TABLES}
    finally:
        engine.dispose()


def read_backup(path):
    """The header and rows of a backup of either kind, checked whole."""
    with open(path, "rb") as backup:
        is_sqlite = backup.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if not is_sqlite:
        with open(path, encoding="utf-8") as stream:
            return board_file.read_board(stream)
    engine = sqlite_engine(path)
    try:
        with engine.connect() as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        if check != "ok":
            raise BoardFileError(f"The SQLite backup is damaged: {check}")
        text = io.StringIO()
        board_file.write_board(engine, text)
    except sa.exc.DBAPIError as error:
        raise BoardFileError(f"The SQLite backup cannot be read: {error.orig}") from None
    finally:
        engine.dispose()
    text.seek(0)
    return board_file.read_board(text)


def restore_backup(engine, path, replace=False):
    header, rows = read_backup(path)
    counts = board_file.load_board(engine, header, rows, replace=replace)
    return describe(counts)


def describe(counts):
    return ", ".join(f"{number} {table.replace('_', ' ')}" for table, number in counts.items())
