"""The account page's personal access tokens: making one (shown once, on the
page that made it) and revoking one. The list is on the account page
(templates/api/_account_tokens.html)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_required

from ..site.security import no_store
from . import tokens
from . import tokens_bp as bp
from .token_forms import NewTokenForm


@bp.route("/new", methods=["GET", "POST"])
@fresh_login_required  # a token lasts: a remembered session confirms the password first
@no_store
def new_token():
    form = NewTokenForm()
    if form.validate_on_submit():
        api_token, token = tokens.issue(current_user, form.name.data, form.chosen_lifetime())
        return render_template("api/token_made.html", api_token=api_token, token=token)
    status = 400 if form.errors else 200
    return render_template("api/new_token.html", form=form), status


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    # Like every form, its CSRF token was checked before the view (CSRFProtect).
    name = tokens.revoke(current_user, token_id)
    if name is None:
        abort(404, description=_("You have no such token."))
    flash(_("The token “%(name)s” has been revoked: it no longer works.", name=name), "success")
    return redirect(url_for("accounts.account", _anchor="api-tokens-heading"))
