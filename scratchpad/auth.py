"""Logging in and out, and changing one's password."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from . import accounts, limits
from .extensions import db, login_manager
from .forms import ChangePasswordForm, ConfirmForm, LoginForm
from .models import User
from .redirects import safe_next_path

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Incorrect username or password"

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to do that."
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(user_id):
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
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Logged in as {user.username}.", "success")
            return redirect(next_path)
    if request.method == "POST":
        return render_template("auth/login.html", form=form, error=LOGIN_FAILED), 401
    return render_template("auth/login.html", form=form, error=None)


@bp.route("/logout/", methods=["GET", "POST"])
def logout():
    form = ConfirmForm()
    if not current_user.is_authenticated:
        return redirect(url_for("comments.index"))
    if form.validate_on_submit():
        logout_user()
        flash("Logged out.", "info")
        return redirect(url_for("comments.index"))
    return render_template("auth/logout.html", form=form)


@bp.route("/account/", methods=["GET", "POST"])
@limits.wrong_current_passwords_per_user
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            current_user.set_password(form.new_password.data)
            db.session.commit()
            # The session version changed: log in again under the new one.
            login_user(current_user)
            flash("Your password has been changed. Other sessions have been logged out.", "success")
            return redirect(url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/account.html", form=form), status
