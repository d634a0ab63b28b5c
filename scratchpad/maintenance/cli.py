"""``flask backup``, ``flask restore``, ``flask export`` and ``flask import``."""
import sys

import click
from flask.cli import with_appcontext

from ..extensions import db

# backup and board_file are imported by the commands that use them: they bring
# Alembic, which a process serving pages never needs.


def fail(error):
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path):
    """Copy the live board to PATH without stopping the site."""
    from . import backup
    from .board_file import BoardFileError
    try:
        held = backup.take_backup(db.engine, path)
    except (OSError, BoardFileError) as error:
        fail(error)
    click.echo(f"Backed up to {path}: {held}.", err=True)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace the rows of a board that has some.")
@with_appcontext
def restore_command(path, replace):
    """Put the board in backup PATH back (checked whole before anything changes)."""
    from . import backup, board_file
    from .board_file import BoardFileError
    try:
        restored = backup.restore_backup(db.engine, path, replace=replace)
    except (OSError, BoardFileError) as error:
        fail(error)
    click.echo(f"Restored from {path}: {restored}. {board_file.NOT_CARRIED}", err=True)


@click.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
@with_appcontext
def export_command(file):
    """Write the whole board to FILE (- for standard output) as JSON Lines."""
    from . import backup, board_file
    counts = board_file.write_board(db.engine, file)
    file.close()
    click.echo(f"Exported {backup.describe(counts)}. {board_file.NOT_CARRIED}", err=True)


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@with_appcontext
def import_command(file):
    """Load a board exported from any engine (FILE, or - for standard input)
    into this empty, upgraded database."""
    from . import backup, board_file
    from .board_file import BoardFileError
    try:
        header, rows = board_file.read_board(file)
        counts = board_file.load_board(db.engine, header, rows)
    except BoardFileError as error:
        fail(error)
    click.echo(f"Imported {backup.describe(counts)}. {board_file.NOT_CARRIED}", err=True)


COMMANDS = (backup_command, restore_command, export_command, import_command)
