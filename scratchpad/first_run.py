"""First run: while the database has no account, a setup link lets the
operator create the first administrator in the browser.

The link's token is derived from SECRET_KEY, so every process of a
multi-process server accepts the same link without sharing any state, and
nobody without the key can compute it. It stops working as soon as an
account exists.
"""
import hashlib
import hmac

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import login_user
from werkzeug.security import generate_password_hash
from wtforms import SubmitField

from .account_forms import NewAccountForm
from .accounts import find_user
from .cache import newest_account_id_read
from .extensions import db
from .models import User, utc_now

bp = Blueprint("first_run", __name__)

ANY_ACCOUNT = sa.select(User.id).exists()
LINK_DEAD = "This setup link is no longer valid: an account already exists. Log in instead."


class FirstAdministratorForm(NewAccountForm):
    submit = SubmitField("Create administrator")


def setup_token(app=None):
    key = (app or current_app).config["SECRET_KEY"]
    if isinstance(key, str):
        key = key.encode()
    return hmac.new(key, b"scratchpad first-run setup link", hashlib.sha256).hexdigest()


def process_state(app):
    return app.extensions.setdefault("scratchpad_first_run", {"accounts_exist": False,
                                                              "link_logged": False})


def accounts_exist():
    return db.session.scalar(sa.select(ANY_ACCOUNT))


def accounts_exist_for_this_request():
    """Answered from the page cache's reading when it took one, saving a statement."""
    was_read, newest_account_id = newest_account_id_read()
    return newest_account_id is not None if was_read else accounts_exist()


@bp.app_template_global()
def awaiting_first_account():
    """Whether the database has no account yet; the first time a process
    finds that, it logs the setup link.

    Once an account has been seen, this process stops asking the database:
    the site is set up. (Should every account be deleted later, the setup
    link works again, but only a restarted process says so on the board.)
    """
    app = current_app._get_current_object()
    state = process_state(app)
    if state["accounts_exist"]:
        return False
    if accounts_exist_for_this_request():
        state["accounts_exist"] = True
        return False
    if not state["link_logged"]:
        state["link_logged"] = True
        link = url_for("first_run.setup", token=setup_token(app), _external=True)
        app.logger.warning("No account exists yet. Create the first administrator at %s "
                           "(the link works until the first account exists).", link)
    return True


def create_first_administrator(username, password):
    """Create the administrator if, and only if, no account exists: the check
    and the insert are one statement in a serializable transaction, so of
    two simultaneous attempts at most one succeeds. Returns the new user, or
    None when an account already existed."""
    password_hash = generate_password_hash(password)
    values = sa.select(
        sa.literal(username, sa.String), sa.literal(password_hash, sa.String),
        sa.literal(True, sa.Boolean), sa.literal(False, sa.Boolean),
        sa.literal(utc_now(), sa.DateTime), sa.literal(1, sa.Integer),
    ).where(~ANY_ACCOUNT)
    insert = sa.insert(User).from_select(
        ["username", "password_hash", "is_admin", "is_disabled", "created", "session_version"],
        values,
    )
    try:
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="SERIALIZABLE")
            with connection.begin():
                result = connection.execute(insert.execution_options(preserve_rowcount=True))
                created = result.rowcount == 1
    except sa.exc.DBAPIError:
        # A serialization failure or deadlock means a simultaneous attempt won.
        db.session.rollback()
        if accounts_exist():
            return None
        raise
    # End the session's transaction, whose snapshot may predate the new row.
    db.session.rollback()
    return find_user(username) if created else None


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token):
    if not hmac.compare_digest(token.encode(), setup_token().encode()):
        abort(404)
    if accounts_exist():
        abort(404, description=LINK_DEAD)
    form = FirstAdministratorForm()
    if form.validate_on_submit():
        user = create_first_administrator(form.username.data, form.new_password.data)
        if user is None:
            abort(404, description=LINK_DEAD)
        process_state(current_app._get_current_object())["accounts_exist"] = True
        login_user(user)
        flash(f"Welcome, {user.username}: you are the administrator. "
              "Add more accounts on the Users page.", "success")
        return redirect(url_for("comments.index"))
    status = 400 if form.errors else 200
    return render_template("first_run/setup.html", form=form), status
