"""Joining: the registration policy, the sign-up page (/signup/ when anyone
may join, /signup/<token> for the holder of an invitation) and what a new
account's email address needs before it can post."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import mail
from ..config import SettingError
from ..extensions import db
from ..models import User
from ..site.settings import site_setting
from . import bp, invitations, join_limits, service, tokens
from .join_forms import InvitedSignUpForm, SignUpForm
from .sessions import log_in

CLOSED, INVITE, OPEN = "closed", "invite", "open"
POLICIES = {
    CLOSED: _l("Closed: only administrators create accounts"),
    INVITE: _l("By invitation: holders of an invitation link can create an account"),
    OPEN: _l("Open: anyone can sign up"),
}
NO_SIGN_UP = _l("This site does not take sign-ups; an administrator creates the accounts.")
INVITATION_DEAD = _l("This invitation link cannot be used: it has expired, has been used "
                     "already, or was withdrawn. Ask whoever sent it for a new one.")


def registration_policy():
    """The policy in force: the administrators' choice, or the configured default."""
    policy = site_setting("REGISTRATION")
    return policy if policy in POLICIES else CLOSED


def username_taken(username):
    """Whether an account has this name in any letter case or width (Bob and
    bob are too easily confused to be two people): the accounts' own rule."""
    return service.find_user(username) is not None


def email_taken(address):
    return db.session.scalar(sa.select(sa.select(User.id).where(User.email == address).exists()))


def awaiting_verification(user):
    """Whether the user gave an address that is not verified yet: until it is,
    they cannot post. Without email on the site there is nothing to wait for."""
    return (user.is_authenticated and user.email is not None
            and user.email_verified_at is None and mail.is_enabled())


def send_verification(user, address):
    token = tokens.issue(user, tokens.VERIFY_EMAIL, email=address)
    return mail.send(address, _("Confirm your email address"), "verify_email", user=user,
                     link=mail.public_url("accounts.verify_email", token=token))


def sign_up_form(form_class):
    form = form_class()
    if not mail.is_enabled():
        del form.email
    return form


def sign_up(form, invitation=None):
    """Create the account the form describes; the page's answer."""
    if form.website.data:
        abort(400, description=_("The form could not be accepted."))
    username = form.username.data
    address = (form.email.data or None) if "email" in form else None
    if username_taken(username):
        form.username.errors.append(_("The username %(name)s is already taken.",
                                       name=repr(username)))
    if address and email_taken(address):
        form.email.errors.append(_("An account already has that address. If it is yours, "
                                   "reset its password from the login page."))
    if form.errors:
        return None
    if invitation is not None and not invitations.claim(invitation):
        abort(404, description=INVITATION_DEAD)
    try:
        user = service.create_user(username, form.new_password.data, email=address)
    except service.AccountError as error:
        db.session.rollback()
        form.username.errors.append(str(error))
        return None
    if invitation is not None:
        invitations.record_use(invitation, user)
    log_in(user)
    flash(_("Welcome, %(name)s: your account has been created.", name=user.username), "success")
    # The board says where the confirmation link went, and offers to send it again.
    if address and not send_verification(user, address):
        flash(_("The mail to confirm your address could not be sent. Try again from "
                "the board in a while."), "warning")
    return redirect(url_for("board.index"))


def render_sign_up(form, invitation_token=None):
    status = 400 if form.errors else 200
    return render_template("accounts/signup.html", form=form,
                           invitation_token=invitation_token), status


@bp.route("/signup/", methods=["GET", "POST"])
@join_limits.sign_ups_per_address
def signup():
    if registration_policy() != OPEN:
        abort(404, description=NO_SIGN_UP)
    if current_user.is_authenticated:
        return redirect(url_for("board.index"))
    form = sign_up_form(SignUpForm)
    if form.validate_on_submit():
        answer = sign_up(form)
        if answer is not None:
            return answer
    return render_sign_up(form)


@bp.route("/signup/<token>", methods=["GET", "POST"])
@join_limits.invitation_uses_per_address
def signup_by_invitation(token):
    if registration_policy() == CLOSED:
        abort(404, description=NO_SIGN_UP)
    invitation = invitations.usable_invitation(token)
    if invitation is None:
        abort(404, description=INVITATION_DEAD)
    if current_user.is_authenticated:
        abort(409, description=_("You are logged in as %(name)s. Log out to use this "
                                 "invitation for a new account.", name=current_user.username))
    form = sign_up_form(InvitedSignUpForm)
    if form.validate_on_submit():
        answer = sign_up(form, invitation)
        if answer is not None:
            return answer
    return render_sign_up(form, invitation_token=token)


def check_policy_setting(app):
    if app.config["REGISTRATION"] not in POLICIES:
        raise SettingError(f"REGISTRATION must be one of {', '.join(POLICIES)}, "
                         f"not {app.config['REGISTRATION']!r}.")


def init_app(app):
    check_policy_setting(app)
    app.add_template_global(registration_policy)
    app.add_template_global(awaiting_verification)


def refuse_unverified_poster():
    """The answer to a post from an account whose address is not confirmed yet."""
    return render_template("accounts/confirm_first.html"), 403
