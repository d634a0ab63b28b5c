"""Deleting one's own account, after typing its password. The comments stay,
shown as by Anonymous Coward; the last administrator cannot leave."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..extensions import db
from ..models import User
from . import bp, limits, service
from .join_forms import DeleteAccountForm


@bp.route("/account/delete", methods=["GET", "POST"])
@limits.wrong_current_passwords_per_user
@login_required
def delete_account():
    form = DeleteAccountForm()
    last_administrator = service.is_last_administrator(current_user)
    if form.validate_on_submit():
        if not service.check_password(current_user, form.password.data):
            form.password.errors.append(_("That is not your password."))
        elif last_administrator:
            form.password.errors.append(_("You are the last administrator: make another user "
                                          "an administrator first."))
        else:
            user = db.session.get(User, current_user.id)
            username = user.username
            try:
                service.delete_user(user)
            except service.AccountError:
                # Another administrator's rights ended since the check above.
                db.session.rollback()
                form.password.errors.append(_("You are the last administrator: make another "
                                              "user an administrator first."))
                return render_template("accounts/delete_account.html", form=form,
                                       last_administrator=True), 409
            logout_user()
            flash(_("The account %(name)s has been deleted. Its comments stay, shown as "
                    "by Anonymous Coward.", name=username), "info")
            return redirect(url_for("board.index"))
    status = 400 if form.errors else 200
    return render_template("accounts/delete_account.html", form=form,
                           last_administrator=last_administrator), status
