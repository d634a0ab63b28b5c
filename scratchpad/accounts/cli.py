"""``flask users …``: managing accounts from the command line."""
import sys

import click
from flask import Blueprint

from . import service

users_cli = Blueprint("users", __name__, cli_group="users")


def fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def read_password(from_stdin):
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password",
                        default="", show_default=False)


def existing_user(username):
    user = service.find_user(username)
    if user is None:
        fail(f"There is no user {username!r}.")
    return user


@users_cli.cli.command("create")
@click.argument("username")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of asking.")
def create_command(username, admin, password_stdin):
    """Create an account; the password is asked for twice, hidden."""
    problem = service.username_problem(username)
    if problem:
        fail(problem)
    existing = service.find_user(username)
    if existing is not None:
        fail(str(service.taken(username, existing)))
    try:
        user = service.create_user(username, read_password(password_stdin), is_admin=admin)
    except service.AccountError as error:
        fail(str(error))
    kind = "administrator" if user.is_admin else "user"
    click.echo(f"Created {kind} {user.username!r}.")


@users_cli.cli.command("list")
def list_command():
    """List the accounts."""
    users = service.all_users()
    if not users:
        click.echo("There are no users yet. Create one with: flask --app scratchpad users create NAME")
    for user in users:
        flags = [flag for flag, on in (("admin", user.is_admin), ("disabled", user.is_disabled)) if on]
        created = user.created.strftime("%Y-%m-%d %H:%M UTC") if user.created else "unknown"
        click.echo(f"{user.username}\tcreated {created}" + (f"\t{', '.join(flags)}" if flags else ""))


@users_cli.cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of asking.")
def set_password_command(username, password_stdin):
    """Set a user's password; their other sessions end."""
    user = existing_user(username)
    try:
        service.change_password(user, read_password(password_stdin))
    except service.AccountError as error:
        fail(str(error))
    click.echo(f"Password changed for {user.username!r}.")


@users_cli.cli.command("rename")
@click.argument("username")
@click.argument("new_username")
def rename_command(username, new_username):
    """Give an account a new name; its password, rights, comments and sessions stay."""
    try:
        new_username = service.rename_user(username, new_username)
    except service.AccountError as error:
        fail(str(error))
    click.echo(f"Renamed {username!r} to {new_username!r}.")


@users_cli.cli.command("delete")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(username, yes):
    """Delete an account; its comments stay, shown as by Anonymous Coward."""
    user = existing_user(username)
    if service.is_last_administrator(user):
        fail(f"{user.username!r} is the last administrator, so the site would have nobody to "
             "run it. Make another user an administrator first (users create NAME --admin).")
    if not yes:
        click.confirm(f"Delete user {user.username!r}? Their comments stay, unattributed.",
                      abort=True)
    try:
        service.delete_user(user)
    except service.AccountError as error:
        fail(str(error))
    click.echo(f"Deleted user {username!r}.")


@users_cli.cli.command("promote")
@click.argument("username")
def promote_command(username):
    """Make a user an administrator."""
    user = existing_user(username)
    service.set_administrator(user, True)
    click.echo(f"{user.username!r} is now an administrator.")


@users_cli.cli.command("demote")
@click.argument("username")
def demote_command(username):
    """Take a user's administrator rights away; the last administrator keeps them."""
    user = existing_user(username)
    try:
        service.set_administrator(user, False)
    except service.AccountError as error:
        fail(str(error))
    click.echo(f"{user.username!r} is no longer an administrator.")


@users_cli.cli.command("disable")
@click.argument("username")
def disable_command(username):
    """Stop a user logging in (they are logged out everywhere); their comments stay."""
    user = existing_user(username)
    try:
        service.set_disabled(user, True)
    except service.AccountError as error:
        fail(str(error))
    click.echo(f"{user.username!r} is disabled: they cannot log in, and their comments stay.")


@users_cli.cli.command("enable")
@click.argument("username")
def enable_command(username):
    """Let a disabled user log in again."""
    user = existing_user(username)
    service.set_disabled(user, False)
    click.echo(f"{user.username!r} can log in again.")
