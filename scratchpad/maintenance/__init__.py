"""Keeping a board's database whole over time: adopting databases made before
this project's migrations, backups, and moving a board between engines."""
from . import adoption  # noqa: F401  (registers the adoption step of `flask db upgrade`)
from . import cli


def init_app(app):
    for command in cli.COMMANDS:
        app.cli.add_command(command)
