"""First run: while the database has no account, a setup link lets the
operator create the first administrator in the browser.

The link's token is a signature made with SECRET_KEY (itsdangerous, as Flask
signs its sessions), so every process of a multi-process server accepts the
same link without sharing any state, and nobody without the key can make it.
It stops working as soon as an account exists.

The link is never built from the request's Host header, which anyone can
set: the log shows it with the host from SCRATCHPAD_PUBLIC_URL or
SERVER_NAME, or else only its path; ``flask setup-link`` prints it.
"""
import hashlib

import click
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask.cli import with_appcontext
from itsdangerous import Signer

from ..board.page_cache import newest_account_id_read
from ..site.security import no_store
from . import bp, service
from .forms import FirstAdministratorForm
from .sessions import log_in

LINK_DEAD = _l("This setup link is no longer valid: an account already exists. Log in instead.")
SETUP_SALT = "scratchpad first-run setup link"
SIGNED_VALUE = b"create the first administrator"


def setup_signer(app=None):
    return Signer((app or current_app).config["SECRET_KEY"], salt=SETUP_SALT,
                  digest_method=hashlib.sha256)


def setup_token(app=None):
    return setup_signer(app).get_signature(SIGNED_VALUE).decode()


def setup_path(app=None):
    return "/setup/" + setup_token(app)


def setup_link(app=None):
    """The setup link with the site's configured address, or only its path
    when none is configured (then prefix it with the site's address)."""
    app = app or current_app
    public_url = app.config.get("PUBLIC_URL")
    if public_url:
        return public_url.rstrip("/") + setup_path(app)
    if app.config.get("SERVER_NAME"):
        scheme = app.config.get("PREFERRED_URL_SCHEME") or "http"
        return f"{scheme}://{app.config['SERVER_NAME']}{setup_path(app)}"
    return setup_path(app)


def process_state():
    return current_app.extensions["scratchpad_first_run"]


def accounts_exist_for_this_request():
    """Answered from the page cache's reading when it took one, saving a statement."""
    was_read, newest_account_id = newest_account_id_read()
    return newest_account_id is not None if was_read else service.accounts_exist()


def awaiting_first_account():
    """Whether the database has no account yet; the first time a process
    finds that, it logs the setup link.

    Once an account has been seen, this process stops asking the database:
    the site is set up. (Should every account be deleted later, the setup
    link works again, but only a restarted process says so on the board.)
    """
    state = process_state()
    if state["accounts_exist"]:
        return False
    if accounts_exist_for_this_request():
        state["accounts_exist"] = True
        return False
    if not state["link_logged"]:
        state["link_logged"] = True
        current_app.logger.warning(
            "No account exists yet. Create the first administrator at %s (the link works until "
            "the first account exists; `flask setup-link` prints it again).", setup_link())
    return True


@bp.route("/setup/<token>", methods=["GET", "POST"])
@no_store
def setup(token):
    if not setup_signer().verify_signature(SIGNED_VALUE, token.encode()):
        abort(404)
    if service.accounts_exist():
        abort(404, description=LINK_DEAD)
    form = FirstAdministratorForm()
    if form.validate_on_submit():
        try:
            user = service.create_first_administrator(form.username.data,
                                                      form.new_password.data)
        except service.AccountError as error:
            form.username.errors.append(str(error))
        else:
            if user is None:
                abort(404, description=LINK_DEAD)
            process_state()["accounts_exist"] = True
            log_in(user)
            flash(_("Welcome, %(name)s: you are the administrator. "
                    "Add more accounts on the Users page.", name=user.username), "success")
            return redirect(url_for("board.index"))
    status = 400 if form.errors else 200
    return render_template("accounts/setup.html", form=form), status


@click.command("setup-link")
@with_appcontext
def setup_link_command():
    """Print the link that creates the first administrator, while no account exists."""
    if service.accounts_exist():
        raise click.ClickException("An account already exists, so the setup link does not work. "
                                   "Use `flask users create NAME --admin` instead.")
    link = setup_link()
    click.echo(link)
    if link.startswith("/"):
        click.echo("(Put the site's address in front, or set SCRATCHPAD_PUBLIC_URL.)", err=True)


def init_app(app):
    app.cli.add_command(setup_link_command)
    app.extensions["scratchpad_first_run"] = {"accounts_exist": False, "link_logged": False}
    app.add_template_global(awaiting_first_account)
