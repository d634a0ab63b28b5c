"""The users page, for administrators: add, promote, disable and delete accounts."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import BooleanField, SubmitField

from . import accounts
from .account_forms import NewAccountForm
from .extensions import db, login_manager
from .forms import ConfirmForm
from .models import User, delete_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


class NewUserForm(NewAccountForm):
    is_admin = BooleanField("Administrator")
    submit = SubmitField("Add user")


@bp.before_request
def require_administrator():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403, description="Only administrators can manage users.")
    return None


def user_or_404(user_id):
    return db.get_or_404(User, user_id, description="There is no such user.")


def other_user_or_403(user_id, refusal):
    """The user to act on, who must not be the administrator acting: nobody
    can lock themselves out or leave the site without its last administrator
    by accident."""
    user = user_or_404(user_id)
    if user.id == current_user.id:
        abort(403, description=refusal)
    return user


@bp.route("/users/", methods=["GET", "POST"])
def users():
    form = NewUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.username.data, form.new_password.data,
                                        is_admin=form.is_admin.data)
        except accounts.AccountError as error:
            form.username.errors.append(str(error))
        else:
            flash(f"Added {'administrator' if user.is_admin else 'user'} {user.username}.",
                  "success")
            return redirect(url_for("admin.users"))
    if form.errors:
        status = 400
    listed = db.session.scalars(sa.select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=listed, form=form), status


@bp.post("/users/<int:user_id>/make-admin")
def make_admin(user_id):
    user = user_or_404(user_id)
    user.is_admin = True
    db.session.commit()
    flash(f"{user.username} is now an administrator.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/remove-admin")
def remove_admin(user_id):
    user = other_user_or_403(user_id, "You cannot remove your own administrator rights.")
    user.is_admin = False
    db.session.commit()
    flash(f"{user.username} is no longer an administrator.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/disable")
def disable(user_id):
    user = other_user_or_403(user_id, "You cannot disable your own account.")
    user.is_disabled = True
    user.end_sessions()
    db.session.commit()
    flash(f"{user.username} is disabled: they cannot log in, and their comments stay.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/enable")
def enable(user_id):
    user = user_or_404(user_id)
    user.is_disabled = False
    db.session.commit()
    flash(f"{user.username} can log in again.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
def delete(user_id):
    user = other_user_or_403(user_id, "You cannot delete your own account.")
    form = ConfirmForm()
    if form.validate_on_submit():
        username = user.username
        delete_user(user)
        db.session.commit()
        flash(f"Deleted {username}. Their comments stay, shown as by Anonymous Coward.", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/delete_user.html", user=user, form=form)
