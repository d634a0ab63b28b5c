"""The users page, for administrators: add, promote, disable and delete accounts."""
import contextlib

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_fresh, logout_user

from ..extensions import db, login_manager
from ..models import User
from ..site.forms import ConfirmForm
from ..site.templating import ANONYMOUS_AUTHOR
from . import admin_bp as bp
from . import service
from .forms import NewUserForm


@bp.before_request
def require_administrator():
    """An administrator who has typed their password in this session: one
    restored from a remember-me cookie is asked for it again."""
    g.no_store = True
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403, description=_("Only administrators can manage users."))
    if not login_fresh():
        return login_manager.needs_refresh()
    return None


def user_or_404(user_id):
    return db.get_or_404(User, user_id, description=_("There is no such user."))


def other_user_or_403(user_id, refusal):
    """The user to act on, who must not be the administrator acting: nobody
    can lock themselves out or leave the site without its last administrator
    by accident."""
    user = user_or_404(user_id)
    if user.id == current_user.id:
        abort(403, description=refusal)
    return user


@contextlib.contextmanager
def refused_as_a_conflict():
    """A change the accounts refuse as things now stand (another administrator
    has just taken away the last other one's rights) is a 409 saying why."""
    acting_id = current_user.id
    try:
        yield
    except service.AccountError as error:
        db.session.rollback()
        if db.session.get(User, acting_id) is None:
            # The administrator acting was deleted meanwhile by another one.
            logout_user()
        abort(409, description=str(error))


@bp.route("/users/", methods=["GET", "POST"])
def users():
    form = NewUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = service.create_user(form.username.data, form.new_password.data,
                                       is_admin=form.is_admin.data)
        except service.AccountError as error:
            form.username.errors.append(str(error))
        else:
            if user.is_admin:
                flash(_("Added administrator %(name)s.", name=user.username), "success")
            else:
                flash(_("Added user %(name)s.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    if form.errors:
        status = 400
    return render_template("accounts/admin_users.html", users=service.all_users(),
                           form=form), status


@bp.post("/users/<int:user_id>/make-admin")
def make_admin(user_id):
    user = user_or_404(user_id)
    service.set_administrator(user, True)
    flash(_("%(name)s is now an administrator.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/remove-admin")
def remove_admin(user_id):
    user = other_user_or_403(user_id, _("You cannot remove your own administrator rights."))
    with refused_as_a_conflict():
        service.set_administrator(user, False)
    flash(_("%(name)s is no longer an administrator.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/disable")
def disable(user_id):
    user = other_user_or_403(user_id, _("You cannot disable your own account."))
    with refused_as_a_conflict():
        service.set_disabled(user, True)
    flash(_("%(name)s is disabled: they cannot log in, and their comments stay.",
            name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/enable")
def enable(user_id):
    user = user_or_404(user_id)
    service.set_disabled(user, False)
    flash(_("%(name)s can log in again.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
def delete(user_id):
    user = other_user_or_403(user_id, _("You cannot delete your own account."))
    form = ConfirmForm()
    if form.validate_on_submit():
        username = user.username
        with refused_as_a_conflict():
            service.delete_user(user)
        flash(_("Deleted %(name)s. Their comments stay, shown as by %(anonymous)s.", name=username,
                anonymous=ANONYMOUS_AUTHOR), "success")
        return redirect(url_for("admin.users"))
    return render_template("accounts/admin_delete_user.html", user=user, form=form,
                           anonymous_author=ANONYMOUS_AUTHOR)
