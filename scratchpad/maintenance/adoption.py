"""Recognising a database made before this project's migrations.

The tutorial this project grew from made its tables with ``db.create_all()``
and later with migration files of its own, whose random revision ids mean
nothing here. Such a database is recognised by the shape of its tables, which
names the revision of ours it is at; stamping it with that revision lets
``flask db upgrade`` carry it on from there without touching a row.

Only ``flask db upgrade`` adopts: ``current``, ``history``, ``stamp`` and the
rest see the database as it is. It happens in a Flask-Migrate configuration
callback, before Alembic's upgrade starts, through Alembic's own ``stamp``
command.
"""
from dataclasses import dataclass

import click
import sqlalchemy as sa
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from ..extensions import db
from .preflight import refuse_rows_in_the_way

# The tables as the tutorial made them, column by column.
TUTORIAL_COLUMNS = {
    "comments": {
        "id": sa.Integer(),
        "content": sa.String(4096),
        "posted": sa.DateTime(),
        "commenter_id": sa.Integer(),
    },
    "users": {
        "id": sa.Integer(),
        "username": sa.String(128),
        "password_hash": sa.String(128),
    },
}
TUTORIAL_TABLES = frozenset(TUTORIAL_COLUMNS)


@dataclass(frozen=True)
class Stage:
    """One step of the tutorial: the revision of ours its tables match."""

    revision: str | None
    tables: dict

    def describe(self):
        if not self.tables:
            return "an empty database"
        shapes = ", ".join(f"{table}({', '.join(columns)})" for table, columns in self.tables.items())
        return f"{shapes} (revision {self.revision})"

    def differences(self, found):
        """What keeps ``found`` ({table: {column: type}}) from being this stage."""
        differences = []
        for table in sorted(set(self.tables) - set(found)):
            differences.append(f"there is no table {table}")
        for table in sorted(set(found) - set(self.tables)):
            differences.append(f"table {table} does not belong at this stage")
        for table in sorted(set(found) & set(self.tables)):
            expected, columns = self.tables[table], found[table]
            for column in expected:
                if column not in columns:
                    differences.append(f"{table} has no column {column}")
                elif not same_type(columns[column], TUTORIAL_COLUMNS[table][column]):
                    differences.append(
                        f"{table}.{column} is {columns[column]}, "
                        f"not {TUTORIAL_COLUMNS[table][column]}"
                    )
            for column in columns:
                if column not in expected:
                    differences.append(f"{table} has a column {column} the tutorial never made")
        return differences


COMMENTS = ("id", "content")
USERS = ("id", "username", "password_hash")
STAGES = (
    Stage(None, {}),
    Stage("0001", {"comments": COMMENTS}),
    Stage("0002", {"comments": (*COMMENTS, "posted")}),
    Stage("0003", {"comments": (*COMMENTS, "posted"), "users": USERS}),
    Stage("0004", {"comments": (*COMMENTS, "posted", "commenter_id"), "users": USERS}),
)


class AdoptionRefused(CommandError):
    """The tables match no stage of the tutorial; nothing was changed."""


@dataclass(frozen=True)
class Adoption:
    stage: Stage
    replaced_revisions: tuple

    def report(self):
        action = (f"stamped it {self.stage.revision}" if self.stage.revision
                  else "removed the unknown stamp")
        if "users" in self.stage.tables:
            next_step = ("The tutorial's users have no administrator among them: once the "
                         "upgrade is done, make one with `flask --app scratchpad users "
                         "promote NAME`.")
        else:
            next_step = ("There are no accounts yet: once the upgrade is done, make the first "
                         "administrator with the setup link the site logs, or with `flask "
                         "--app scratchpad users create NAME --admin`.")
        return (f"{history(self.replaced_revisions)}; its tables are {self.stage.describe()}: "
                f"{action}.\n{next_step}")


def same_type(found, expected):
    """Whether a reflected column type is the tutorial's: of the same kind
    (each engine reflects its own subclass) and, for text, the same length."""
    return (isinstance(found, type(expected))
            and getattr(found, "length", None) == getattr(expected, "length", None))


def tutorial_tables(connection):
    """The tutorial's tables the database has: {table: {column: type}}.
    Tables of other names are not ours and are left alone."""
    inspector = sa.inspect(connection)
    return {
        table: {column["name"]: column["type"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table in TUTORIAL_TABLES
    }


def recognise(found):
    """The stage whose tables ``found`` has: (stage, []), or when none has
    them, (the nearest stage, how the tables differ from it)."""
    compared = [(stage, stage.differences(found)) for stage in STAGES]
    for stage, differences in compared:
        if not differences:
            return stage, []
    # Of stages equally near, the latest names what is missing rather than
    # calling what is there out of place.
    return min(reversed(compared), key=lambda pair: len(pair[1]))


def history(revisions):
    if revisions:
        return (f"The database is stamped with revision {', '.join(revisions)}, "
                "which this project does not know")
    return "The database has no migration history"


def plan_adoption(migration_context, script):
    """The Adoption a database not under this project's migrations needs, or
    None when it already names a revision of ours (or has no tables and no
    history). Raises AdoptionRefused when its tables match no stage."""
    heads = tuple(migration_context.get_current_heads())
    known = {revision.revision for revision in script.walk_revisions()}
    if heads and set(heads) <= known:
        return None
    found = tutorial_tables(migration_context.connection)
    if not heads and not found:
        return None
    stage, differences = recognise(found)
    if differences:
        raise AdoptionRefused(
            f"{history(heads)}, and its tables match no stage of the tutorial, so it was "
            f"left unchanged. The nearest is {stage.describe()}, but " + "; ".join(differences) + "."
        )
    return Adoption(stage, heads)


def invoked_as_flask_db_upgrade():
    """Whether this process is running ``flask db upgrade`` (not ``--sql``)."""
    invocation = click.get_current_context(silent=True)
    return (invocation is not None and invocation.command.name == "upgrade"
            and invocation.parent is not None and invocation.parent.command.name == "db"
            and not invocation.params.get("sql"))


def adopt_older_database(config):
    """Before ``flask db upgrade`` runs, stamp a database from before this
    project's migrations with the revision its tables match, replacing any
    revision of someone else's, once the rows are known to suit every step
    to come (preflight.py)."""
    if not invoked_as_flask_db_upgrade():
        return config
    script = ScriptDirectory.from_config(config)
    with db.engine.connect() as connection:
        migration_context = MigrationContext.configure(connection)
        adoption = plan_adoption(migration_context, script)
        start = (adoption.stage.revision if adoption is not None
                 else migration_context.get_current_revision())
        oldest_first = [revision.revision for revision in reversed(list(script.walk_revisions()))]
        refuse_rows_in_the_way(connection, start, oldest_first)
    if adoption is not None:
        command.stamp(config, adoption.stage.revision or "base", purge=True)
        click.echo(adoption.report(), err=True)
    return config
