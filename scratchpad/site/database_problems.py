"""What a database error means for the site: the database is not answering,
is out of space, or takes no writes — told to the operator in the log and to
the visitor on the 503 page. Anything else is a bug (a 500 page)."""
from dataclasses import dataclass

from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError


@dataclass(frozen=True)
class Problem:
    log_message: str
    visitor_message: LazyString  # in the page's language


NOT_ANSWERING = Problem(
    "The database is unavailable",
    _l("The database is not answering at the moment, so nothing could be read or saved. "
       "Please try again in a little while."))
OUT_OF_SPACE = Problem(
    "The database is out of space: free some disk space (or raise its quota) for it",
    _l("The database has run out of space, so nothing could be saved. Nothing was half-saved; "
       "please try again later."))
READ_ONLY = Problem(
    "The database refuses to write (its file, file system, server or account is read-only)",
    _l("The database can be read but not written at the moment, so nothing could be saved. "
       "Please try again later."))

# SQLite result codes (the low byte of the extended code).
SQLITE_READONLY = 8
SQLITE_FULL = 13
# MariaDB/MySQL error numbers.
MYSQL_OUT_OF_SPACE = {1021, 1114}  # disk full, table full
MYSQL_READ_ONLY = {1036, 1290, 1792}  # table read-only, --read-only, read-only transaction
# Can't connect, server gone, connection lost, query timed out (some drivers' own words for them).
MYSQL_NOT_ANSWERING = {2002, 2003, 2006, 2013, 2055, 3024, 4031}
# A table or column the query names is not there: no such table, unknown column.
MYSQL_MISSING_SCHEMA = {1146, 1054}
# PostgreSQL SQLSTATEs.
POSTGRESQL_OUT_OF_SPACE = {"53100"}  # disk_full
# read_only_sql_transaction: a standby, or default_transaction_read_only
POSTGRESQL_READ_ONLY = {"25006"}
POSTGRESQL_MISSING_SCHEMA = {"42P01", "42703"}  # undefined_table, undefined_column
SQLITE_MISSING_SCHEMA = ("no such table", "no such column", "has no column named")

SCHEMA_BEING_UPDATED = _l("The site is being updated, so this page cannot be shown right now. "
                          "Please try again in a few minutes.")


def diagnose(error):
    """The Problem ``error`` shows, or None when it is not one of the database's own."""
    original = getattr(error, "orig", None)
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if sqlite_code is not None:
        if sqlite_code & 0xFF == SQLITE_FULL:
            return OUT_OF_SPACE
        if sqlite_code & 0xFF == SQLITE_READONLY:
            return READ_ONLY
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate in POSTGRESQL_OUT_OF_SPACE:
        return OUT_OF_SPACE
    if sqlstate in POSTGRESQL_READ_ONLY:
        return READ_ONLY
    number = mysql_error_number(original)
    if number in MYSQL_OUT_OF_SPACE:
        return OUT_OF_SPACE
    if number in MYSQL_READ_ONLY:
        return READ_ONLY
    if number in MYSQL_NOT_ANSWERING:
        return NOT_ANSWERING
    if isinstance(error, (OperationalError, InterfaceError, PendingRollbackError)):
        return NOT_ANSWERING
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return NOT_ANSWERING
    return None


def names_a_missing_table_or_column(error):
    """Whether ``error`` is the database saying a table or column it was asked for
    is not there: what a schema behind the code looks like to a query."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlite_errorcode", None) is not None:
        return str(original).startswith(SQLITE_MISSING_SCHEMA)
    if getattr(original, "sqlstate", None) in POSTGRESQL_MISSING_SCHEMA:
        return True
    return mysql_error_number(original) in MYSQL_MISSING_SCHEMA


def mysql_error_number(original):
    """The MariaDB/MySQL error number: mysql-connector's ``errno``, PyMySQL's first argument."""
    number = getattr(original, "errno", None)
    if isinstance(number, int):
        return number
    arguments = getattr(original, "args", ())
    if arguments and isinstance(arguments[0], int):
        return arguments[0]
    return None


def cause(error):
    """The driver's own words, for the log."""
    return getattr(error, "orig", None) or error
