"""Email addresses on accounts: changing one's address (with the current
password, and only once the new address is verified), sending the
verification mail again, and the verification link itself."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import mail
from ..extensions import db
from ..models import utc_now
from ..site.forms import ConfirmForm
from . import bp, join_limits, limits, service, tokens
from .join_forms import EmailForm
from .registration import email_taken, send_verification

VERIFICATION_DEAD = _l("This confirmation link cannot be used: it has expired (links last two "
                       "days), has been used already, or was for an address that has changed "
                       "since. Ask for a new one on your account page.")


def require_mail():
    if not mail.is_enabled():
        abort(404, description=_("This site does not send email."))


@bp.route("/account/email", methods=["GET", "POST"])
@limits.wrong_current_passwords_per_user
@login_required
def change_email():
    require_mail()
    form = EmailForm()
    if form.validate_on_submit():
        address = form.email.data
        if not service.check_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        elif address == current_user.email and current_user.email_verified_at is not None:
            form.email.errors.append(_("That is already your address."))
        elif address != current_user.email and email_taken(address):
            form.email.errors.append(_("Another account has that address."))
        elif send_verification(current_user, address):
            flash(_("We have sent a link to %(address)s. Your address changes when you open it.",
                    address=address), "info")
            return redirect(url_for("accounts.account"))
        else:
            flash(_("The mail could not be sent; please try again in a while."), "warning")
            return redirect(url_for("accounts.change_email"))
    status = 400 if form.errors else 200
    return render_template("accounts/email.html", form=form), status


@bp.post("/account/email/resend")
@join_limits.verification_mails_per_user
@login_required
def resend_verification():
    require_mail()
    if current_user.email is None or current_user.email_verified_at is not None:
        abort(409, description=_("Your account has no address waiting to be confirmed."))
    if send_verification(current_user, current_user.email):
        flash(_("We have sent a new link to %(address)s.", address=current_user.email), "info")
    else:
        flash(_("The mail could not be sent; please try again in a while."), "warning")
    return redirect(url_for("board.index"))


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
def verify_email(token):
    """Confirmed with a button, not on opening: mail scanners open links too."""
    row = tokens.find(token, tokens.VERIFY_EMAIL)
    if row is None:
        abort(404, description=VERIFICATION_DEAD)
    form = ConfirmForm()
    if form.validate_on_submit():
        user, address = row.user, row.email
        if address != user.email and email_taken(address):
            abort(409, description=_("Another account has confirmed that address meanwhile."))
        if not tokens.use(row):
            abort(404, description=VERIFICATION_DEAD)
        user.email = address
        user.email_verified_at = utc_now()
        db.session.commit()
        flash(_("Thank you: %(address)s is confirmed as the address of %(name)s.",
                address=address, name=user.username), "success")
        return redirect(url_for("board.index"))
    return render_template("accounts/verify_email.html", form=form, address=row.email,
                           username=row.user.username)
