"""What a ``flask`` command says when the site's settings or its database
stop it: one or two sentences, what is wrong and what to do, exit status 1,
no traceback. With ``flask --debug`` (or FLASK_DEBUG=1) the traceback is
printed as usual. Errors of any other kind keep their traceback: they are
bugs to report."""
import os
import sys

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ..config import SettingError
from .database_problems import MYSQL_NOT_ANSWERING, mysql_error_number

# MariaDB/MySQL: access denied (wrong password, no such user, no rights on the database).
MYSQL_ACCESS_DENIED = {1044, 1045, 1698}
MYSQL_UNKNOWN_DATABASE = 1049
MYSQL_UNKNOWN_HOST = 2005
# PostgreSQL SQLSTATEs: invalid_password, invalid_authorization_specification, invalid_catalog_name.
POSTGRESQL_ACCESS_DENIED = {"28P01", "28000"}
POSTGRESQL_UNKNOWN_DATABASE = "3D000"
PERCENT_ENCODING = ("a password with @, :, / or % in it must be percent-encoded in the URL: "
                    "%40 for @, %3A for :, %2F for /, %25 for %")
# What libpq says, in its words, when it refuses a connection (psycopg gives
# no SQLSTATE for errors met while connecting).
POSTGRESQL_REFUSALS = ("password authentication failed", "no password supplied",
                       "no pg_hba.conf entry")


def explain(error):
    """One or two sentences for an error a command cannot go on after, or None."""
    if isinstance(error, SettingError):
        return str(error)
    url = database_url()
    if isinstance(error, (NoSuchModuleError, ArgumentError)):
        return (f"DATABASE_URL is not a database URL this site can use ({error}). It looks "
                "like sqlite:///PATH, mysql://USER:PASSWORD@HOST/NAME or "
                "postgresql://USER:PASSWORD@HOST/NAME.")
    if not isinstance(error, DBAPIError) or url is None:
        return None
    if url.host and "@" in url.host:
        return (f"DATABASE_URL has an @ in its password, so the host seems to be {url.host!r}: "
                f"{PERCENT_ENCODING}.")
    where = f"{url.host or 'localhost'}:{url.port}" if url.port else (url.host or "localhost")
    original = getattr(error, "orig", None)
    number = mysql_error_number(original)
    sqlstate = getattr(original, "sqlstate", None)
    said = str(original)
    postgresql = url.get_backend_name() == "postgresql"
    if number in MYSQL_ACCESS_DENIED or sqlstate in POSTGRESQL_ACCESS_DENIED or postgresql and (
            any(refusal in said for refusal in POSTGRESQL_REFUSALS)
            or f'role "{url.username}" does not exist' in said):
        return (f"The database server at {where} refused the user {url.username!r}: check the "
                f"user and password in DATABASE_URL, and that the user may use the database "
                f"{url.database!r}. ({PERCENT_ENCODING[0].upper()}{PERCENT_ENCODING[1:]}.)")
    if number == MYSQL_UNKNOWN_DATABASE or sqlstate == POSTGRESQL_UNKNOWN_DATABASE or (
            postgresql and f'database "{url.database}" does not exist' in said):
        return (f"There is no database {url.database!r} on the server at {where}: create it, "
                "or correct its name in DATABASE_URL.")
    if url.get_backend_name() == "sqlite" and "unable to open database file" in said:
        return (f"The SQLite file {url.database!r} cannot be opened: check that its folder "
                "exists and that this user may write there.")
    if number in MYSQL_NOT_ANSWERING or number == MYSQL_UNKNOWN_HOST or (
            postgresql and sqlstate is None):
        return (f"The database server at {where} cannot be reached: is it running, and does "
                "DATABASE_URL name the right host and port?")
    return None


def database_url():
    try:
        return make_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    except ArgumentError:
        return None


def debugging():
    return os.environ.get("FLASK_DEBUG", "").lower() in ("1", "true", "yes", "on")


def report_in_one_line(previous_hook):
    def hook(kind, error, traceback):
        message = None if debugging() else explain(error)
        if message is None:
            return previous_hook(kind, error, traceback)
        click.echo(f"Error: {message}", err=True)
    return hook


def install():
    """For a process running a ``flask`` command: its last error is told in
    one line. A server's processes (gunicorn, ``flask run``'s requests) are
    not commands: their errors go to the log and the error pages."""
    if click.get_current_context(silent=True) is not None and not getattr(
            sys.excepthook, "scratchpad_one_line", False):
        sys.excepthook = report_in_one_line(sys.excepthook)
        sys.excepthook.scratchpad_one_line = True
