"""Whether the database's schema is the one this code was written for.

A database that ``flask db upgrade`` has not brought up to date (a new
release put in place without it, or a new database never upgraded) fails on
its first query in ways that look like an outage. This compares the revision
Alembic last recorded in the database with the newest migration shipped with
the code, with one query of the site's own: a serving process never imports
Alembic (tests/test_memory.py).
"""
import os

import sqlalchemy as sa
from flask import current_app

from ..extensions import MIGRATIONS_DIRECTORY, db

UPGRADE_COMMAND = "flask --app scratchpad db upgrade"

# Each migration's file name starts with its revision: 0001_comments.py is
# revision "0001" (tests/test_migrations.py holds Alembic to it).
KNOWN_REVISIONS = frozenset(
    name[:4] for name in os.listdir(os.path.join(MIGRATIONS_DIRECTORY, "versions"))
    if name.endswith(".py") and name[:4].isdigit())
NEWEST_REVISION = max(KNOWN_REVISIONS)


def recorded_revision(connection):
    """The revision in ``alembic_version``, or None when the table is missing or empty."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def schema_problem(connection):
    """One sentence for the operator when the schema is not this code's, else None."""
    revision = recorded_revision(connection)
    if revision == NEWEST_REVISION:
        return None
    if revision is None:
        return (f"The database has not been set up for Scratchpad yet: "
                f"run `{UPGRADE_COMMAND}`")
    if revision in KNOWN_REVISIONS:
        return (f"The database schema is behind the code (revision {revision}, the code "
                f"needs {NEWEST_REVISION}): run `{UPGRADE_COMMAND}`, then reload the site")
    return (f"The database schema is at revision {revision}, newer than this code knows "
            f"(a newer release upgraded it): run that release, or restore the backup taken "
            f"before its upgrade")


def current_schema_problem():
    """``schema_problem`` for the app's database, or None when the database cannot
    tell (its own failure is what the caller reports then)."""
    try:
        with db.engine.connect() as connection:
            return schema_problem(connection)
    except sa.exc.SQLAlchemyError:
        return None


def log_schema_problem_at_start(app):
    """A line in the log when a serving process starts on a schema it cannot use."""
    with app.app_context():
        problem = current_schema_problem()
        if problem:
            current_app.logger.warning("%s.", problem)
        # A server that forks its workers after loading the app (gunicorn's
        # --preload) must not hand them this connection to share.
        db.engine.dispose()
