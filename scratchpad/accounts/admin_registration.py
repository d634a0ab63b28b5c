"""Administrators' pages for letting people join: the registration policy,
invitation links, and one-time password reset links for users."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import Length

from .. import mail
from ..extensions import db
from ..models import Invitation
from ..site.links import public_link
from ..site.settings import change_site_setting
from . import admin_bp as bp
from . import invitations, registration
from .admin import user_or_404
from .password_reset import handed_reset_token


class RegistrationForm(FlaskForm):
    policy = RadioField(_l("Who can create an account"), choices=list(registration.POLICIES))
    submit = SubmitField(_l("Save"))


class InvitationForm(FlaskForm):
    note = StringField(_l("Note (for you: whom it is for)"), validators=[Length(max=200)],
                       render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Make an invitation link"))


@bp.route("/settings/", methods=["GET", "POST"])
def settings():
    form = RegistrationForm(policy=registration.registration_policy())
    if form.validate_on_submit():
        change_site_setting("REGISTRATION", form.policy.data)
        flash(_("Registration: %(policy)s.", policy=registration.POLICIES[form.policy.data]),
              "success")
        return redirect(url_for("admin.settings"))
    status = 400 if form.errors else 200
    return render_template("accounts/admin_settings.html", form=form,
                           policies=registration.POLICIES, mail_enabled=mail.is_enabled()), status


@bp.route("/invitations/", methods=["GET", "POST"])
def invitations_page():
    form = InvitationForm()
    new_link = None
    status = 200
    if form.validate_on_submit():
        _, token = invitations.create_invitation(current_user, form.note.data.strip())
        new_link = public_link("accounts.signup_by_invitation", token=token)
        form = InvitationForm(formdata=None)
    elif form.errors:
        status = 400
    return render_template("accounts/admin_invitations.html", form=form, new_link=new_link,
                           invitations=invitations.recent_invitations(),
                           status_of=invitations.status, lifetime=invitations.lifetime_text(),
                           policy=registration.registration_policy()), status


@bp.post("/invitations/<int:invitation_id>/withdraw")
def withdraw_invitation(invitation_id):
    invitation = db.get_or_404(Invitation, invitation_id,
                               description=_("There is no such invitation."))
    invitations.withdraw(invitation)
    flash(_("The invitation has been withdrawn: its link no longer works."), "success")
    return redirect(url_for("admin.invitations_page"))


@bp.post("/users/<int:user_id>/reset-link")
def make_reset_link(user_id):
    user = user_or_404(user_id)
    link = public_link("accounts.reset_password", token=handed_reset_token(user))
    return render_template("accounts/admin_reset_link.html", user=user, link=link)
