"""Reporting a comment to the administrators."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..board.comments import visible_comment_or_404
from ..extensions import login_manager
from . import bp, service
from .forms import ReportForm


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
def report(comment_id):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    comment = visible_comment_or_404(comment_id)
    if comment.is_by(current_user):
        abort(403, description=_("You cannot report your own comment; you can edit or delete it."))
    if comment.is_hidden:
        abort(409, description=_("This comment has already been hidden by a moderator."))
    if comment.is_held:
        abort(409, description=_(
            "This comment is already waiting for an administrator's approval."))
    form = ReportForm()
    if form.validate_on_submit():
        try:
            service.report(comment, current_user, form.reason.data)
        except service.ReportError as error:
            abort(409, description=str(error))
        flash(_("Thank you: the administrators will look at the comment."), "success")
        return redirect(url_for("board.comment", comment_id=comment.id))
    status = 400 if form.errors else 200
    return render_template("moderation/report.html", comment=comment, form=form), status
