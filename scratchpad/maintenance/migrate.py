"""Flask-Migrate, bound to the app the first time it is used: by a ``flask db``
command, or by reading ``app.extensions["migrate"]`` (``flask_migrate.upgrade()``
and the rest). Importing it brings Alembic, Mako and the SQLAlchemy dialects of
every engine Alembic supports, several megabytes that a process serving pages
never uses."""
import click
from flask import current_app
from flask.cli import ScriptInfo

from ..extensions import MIGRATIONS_DIRECTORY, db


def init_app(app):
    app.extensions["migrate"] = UnboundMigrate(app)
    app.cli.add_command(MigrationCommands())


def bind(app):
    """Flask-Migrate's configuration for ``app``, bound now if it was not yet."""
    configuration = app.extensions.get("migrate")
    if not isinstance(configuration, UnboundMigrate):
        return configuration
    from flask_migrate import Migrate

    from ..search import outside_the_models
    from .adoption import adopt_older_database

    migrate = Migrate(directory=MIGRATIONS_DIRECTORY, render_as_batch=True,
                      compare_server_default=True)
    migrate.configure(say_what_is_upgraded)
    migrate.configure(adopt_older_database)
    migrate.init_app(app, db, include_name=outside_the_models)
    return app.extensions["migrate"]


def say_what_is_upgraded(config):
    """Before ``flask db upgrade``: which database, and where the instance folder is
    (an installed package keeps it inside its virtual environment)."""
    from .adoption import invoked_as_flask_db_upgrade

    if invoked_as_flask_db_upgrade():
        # A database that cannot be reached stops the command here, in one line.
        db.engine.connect().close()
        click.echo(f"Upgrading the database {db.engine.url.render_as_string(hide_password=True)}\n"
                   f"The instance folder (config.py, the secret key, the SQLite database by "
                   f"default) is {current_app.instance_path}", err=True)
    return config


class UnboundMigrate:
    """What ``app.extensions["migrate"]`` holds until it is first read.
    Flask-Migrate's functions (``upgrade()`` and the rest) find their
    configuration there, by attribute; checked with Flask-Migrate 4.1.0, and
    tests/test_memory.py fails if they stop finding it."""

    def __init__(self, app):
        self._app = app

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(bind(self._app), name)


class MigrationCommands(click.Group):
    """``flask db``: parsed and run by Flask-Migrate's own command group, bound
    to the app when it is invoked."""

    def __init__(self):
        super().__init__("db", help="Perform database migrations.")

    def make_context(self, info_name, args, parent=None, **extra):
        bind(parent.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as commands
        return commands.make_context(info_name, args, parent=parent, **extra)
