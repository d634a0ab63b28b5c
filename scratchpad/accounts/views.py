"""Logging in and out, and the account page."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, login_manager
from ..models import User
from ..site.errors import database_unavailable
from ..site.forms import ConfirmForm
from ..site.redirects import safe_next_path
from . import bp, limits, service
from .forms import ChangePasswordForm, LoginForm

LOGIN_FAILED = "Incorrect username or password"

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please log in to do that."
login_manager.login_message_category = "warning"


def load_user_first():
    """Who the user is, asked before anything else asks: a database error here
    goes straight to the 503 page, once, rather than to every rate limit and
    view that would ask again (and take the error for their own). Static
    files need nobody."""
    if request.endpoint and request.endpoint.rpartition(".")[2] == "static":
        return
    current_user.is_authenticated  # noqa: B018  (loads the user)


@login_manager.user_loader
def load_user(user_id):
    if database_unavailable():
        return None
    user_key, _, version = user_id.partition(":")
    if not user_key.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_key))
    if user is None or user.session_version != int(version):
        return None
    return user


@bp.route("/login/", methods=["GET", "POST"])
@limits.failed_logins_per_username
@limits.failed_logins_per_address
def login():
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Logged in as {user.username}.", "success")
            return redirect(next_path)
    if request.method == "POST":
        return render_template("accounts/login.html", form=form, error=LOGIN_FAILED), 401
    return render_template("accounts/login.html", form=form, error=None)


@bp.route("/logout/", methods=["GET", "POST"])
def logout():
    form = ConfirmForm()
    if not current_user.is_authenticated:
        return redirect(url_for("board.index"))
    if form.validate_on_submit():
        logout_user()
        flash("Logged out.", "info")
        return redirect(url_for("board.index"))
    return render_template("accounts/logout.html", form=form)


@bp.route("/account/", methods=["GET", "POST"])
@limits.wrong_current_passwords_per_user
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not service.check_password(current_user, form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            service.change_password(current_user, form.new_password.data)
            # The session version changed: log in again under the new one.
            login_user(current_user)
            flash("Your password has been changed. Other sessions have been logged out.", "success")
            return redirect(url_for("accounts.account"))
    status = 400 if form.errors else 200
    return render_template("accounts/account.html", form=form), status
