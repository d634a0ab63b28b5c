"""Logging in and out, confirming one's password again, and the account page
with its password change and list of login sessions."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import (confirm_login, current_user, fresh_login_required, login_fresh,
                         login_required, logout_user)

from ..extensions import db, login_manager
from ..models import User
from ..site.errors import database_unavailable
from ..site.forms import ConfirmForm
from ..site.redirects import safe_next_path
from ..site.security import no_store
from . import bp, limits, service, sessions
from .sessions import log_in
from .forms import ChangePasswordForm, LoginForm, ReauthenticateForm

LOGIN_FAILED = _l("Incorrect username or password")

login_manager.login_view = "accounts.login"
# Flashed messages are kept in the session cookie: as text, in the page's language.
login_manager.localize_callback = str
login_manager.login_message = _l("Please log in to do that.")
login_manager.login_message_category = "warning"
# A session restored from a remember-me cookie, or from another browser, is
# not fresh: administration and password changes ask for the password again.
login_manager.refresh_view = "accounts.reauthenticate"
login_manager.needs_refresh_message = _l("Please confirm your password to do that.")
login_manager.needs_refresh_message_category = "warning"


def load_user_first():
    """Who the user is, asked before anything else asks: a database error here
    goes straight to the 503 page, once, rather than to every rate limit and
    view that would ask again (and take the error for their own). Static
    files need nobody."""
    if request.endpoint and request.endpoint.rpartition(".")[2] == "static":
        return
    current_user.is_authenticated  # noqa: B018  (loads the user)


@login_manager.user_loader
def load_user(session_token):
    """The user of the live login session whose token the cookie carries."""
    if database_unavailable():
        return None
    return sessions.user_for_token(session_token)


@bp.route("/login/", methods=["GET", "POST"])
@limits.failed_logins_per_address
@no_store
def login():
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    form = LoginForm()
    if form.validate_on_submit():
        limits.count_login_attempt(form.username.data)
        user = service.authenticate(form.username.data, form.password.data)
        if user is not None:
            limits.forget_login_attempts(form.username.data)
            log_in(user, remember=form.remember.data)
            flash(_("Logged in as %(name)s.", name=user.username), "success")
            return redirect(next_path)
    if request.method == "POST":
        return render_template("accounts/login.html", form=form, error=LOGIN_FAILED), 401
    return render_template("accounts/login.html", form=form, error=None)


@bp.route("/reauthenticate/", methods=["GET", "POST"])
@limits.wrong_current_passwords_per_user
@login_required
@no_store
def reauthenticate():
    next_path = safe_next_path(request.args.get("next"))
    form = ReauthenticateForm()
    if form.validate_on_submit():
        if service.check_password(current_user, form.password.data):
            confirm_login()
            return redirect(next_path)
        form.password.errors.append(_("That is not your password."))
    status = 401 if form.errors else 200
    return render_template("accounts/reauthenticate.html", form=form), status


@bp.route("/logout/", methods=["GET", "POST"])
@no_store
def logout():
    form = ConfirmForm()
    if not current_user.is_authenticated:
        return redirect(url_for("board.index"))
    if form.validate_on_submit():
        sessions.end_session(current_user.session_token)
        # A new session (no CSRF secret from before); Flask-Login then asks
        # the browser to drop the remember-me cookie.
        session.clear()
        logout_user()
        flash(_("Logged out."), "info")
        return redirect(url_for("board.index"))
    return render_template("accounts/logout.html", form=form)


def account_page(form, end_others_form, status=200):
    return render_template("accounts/account.html", form=form, end_others_form=end_others_form,
                           login_sessions=sessions.live_sessions(current_user),
                           is_current=sessions.is_current,
                           browser_text=sessions.browser_text), status


@bp.route("/account/", methods=["GET", "POST"])
@limits.wrong_current_passwords_per_user
@login_required
@no_store
def account():
    form = ChangePasswordForm()
    if request.method == "POST" and not login_fresh():
        return login_manager.needs_refresh()
    if form.validate_on_submit():
        if not service.check_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            try:
                service.change_password(current_user, form.new_password.data)
            except service.AccountError as error:
                form.new_password.errors.append(str(error))
            else:
                # Every session ended, this one too: start a new one here.
                log_in(db.session.get(User, current_user.id))
                flash(_("Your password has been changed. Other sessions have been logged out."),
                      "success")
                return redirect(url_for("accounts.account"))
    return account_page(form, ConfirmForm(), 400 if form.errors else 200)


@bp.post("/account/sessions/end-others")
@fresh_login_required
@no_store
def end_other_sessions():
    form = ConfirmForm()
    if form.validate_on_submit():
        service.end_other_sessions(current_user)
        flash(_("Your other sessions have been logged out."), "success")
    return redirect(url_for("accounts.account"))

