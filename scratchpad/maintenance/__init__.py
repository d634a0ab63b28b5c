"""Keeping a board's database whole over time: adopting databases made before
this project's migrations, backups, and moving a board between engines."""
from . import cli
from .migrate import init_app as init_migrations  # noqa: F401


def init_app(app):
    for command in cli.COMMANDS:
        app.cli.add_command(command)
