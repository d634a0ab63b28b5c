"""Getting back in after forgetting a password: /reset-password/ mails a
one-time link when the site sends email; otherwise an administrator makes one
(the users page, or ``flask users reset-link NAME``). Either link works once,
stops working when the password changes by any means, and using it ends every
session of the account."""
import click
import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..models import User, utc_now
from ..site.links import public_link, site_path
from . import bp, join_limits, service, tokens
from .cli import existing_user, users_cli
from .join_forms import NewPasswordForm, ResetRequestForm

MAILED_RESET_ANSWER = _l("If an account has that address, we have sent it a link to choose a "
                         "new password. The link works once, within an hour.")
RESET_DEAD = _l("This password reset link cannot be used: it has expired, has been used "
                "already, or the password has been changed since. Ask for a new one.")


def handed_reset_token(user):
    return tokens.issue(user, tokens.RESET_PASSWORD, lifetime=tokens.HANDED_RESET_LIFETIME)


def mail_reset_link(address):
    user = db.session.scalar(sa.select(User).where(User.email == address))
    if user is None or not user.is_active:
        return
    token = tokens.issue(user, tokens.RESET_PASSWORD, email=address)
    mail.send_in_background(address, _("Choose a new password"), "reset_password", user=user,
                            link=mail.public_url("accounts.reset_password", token=token))


@bp.route("/reset-password/", methods=["GET", "POST"])
@join_limits.reset_requests_per_account
@join_limits.reset_requests_per_address
def request_reset():
    if not mail.is_enabled():
        return render_template("accounts/reset_request.html", form=None)
    form = ResetRequestForm()
    if form.validate_on_submit():
        mail_reset_link(form.email.data)
        flash(str(MAILED_RESET_ANSWER), "info")
        return redirect(url_for("accounts.request_reset"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    row = tokens.find(token, tokens.RESET_PASSWORD)
    if row is None:
        abort(404, description=RESET_DEAD)
    user = row.user
    form = NewPasswordForm()
    if form.validate_on_submit():
        if not tokens.use(row):
            abort(404, description=RESET_DEAD)
        # A link that arrived by mail shows that the address is the user's.
        if row.email is not None and row.email == user.email and user.email_verified_at is None:
            user.email_verified_at = utc_now()
        try:
            service.change_password(user, form.new_password.data)
        except service.AccountError as error:
            db.session.rollback()
            form.new_password.errors.append(str(error))
        else:
            flash(_("Your password has been changed, and every session of your account has "
                    "ended. Log in with the new password."), "success")
            return redirect(url_for("accounts.login"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form, username=user.username,
                           action=request.path), status


@users_cli.cli.command("reset-link")
@click.argument("username")
def reset_link_command(username):
    """Make a one-time link with which the user chooses a new password (valid 24 hours)."""
    user = existing_user(username)
    token = handed_reset_token(user)
    if current_app.config["PUBLIC_URL"]:
        click.echo(public_link("accounts.reset_password", token=token))
    else:
        path = site_path("accounts.reset_password", token=token)
        click.echo(f"{path}\n(add it to the site's address; set SCRATCHPAD_PUBLIC_URL to "
                   "have whole links)")
    click.echo(f"Give it to {user.username} privately: it works once, within 24 hours.",
               err=True)
