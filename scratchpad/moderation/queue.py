"""The administrators' comment queue: reported and held comments (or hidden,
or all of them), searched by text and filtered by user; hiding, restoring,
approving and dismissing reports."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from ..board.paging import page_cursor
from ..extensions import db, login_manager
from ..models import COMMENT_MAX_LENGTH, USERNAME_MAX_LENGTH, Comment
from ..site.redirects import safe_next_path
from . import queue_bp as bp
from . import service

SHOW_CHOICES = {"waiting": _l("Waiting"), "hidden": lazy_pgettext("comments shown", "Hidden"),
                "all": _l("All comments")}


@bp.before_request
def require_administrator():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403, description=_("Only administrators can moderate comments."))
    return None


def text_argument(name, max_length):
    value = request.args.get(name, "").strip()
    if len(value) > max_length or "\x00" in value:
        abort(400, description=_("The %(name)s to search for is too long or not text.", name=name))
    return value


@bp.get("/")
def comments():
    show = request.args.get("show", "waiting")
    if show not in SHOW_CHOICES:
        abort(400, description=_("Show 'waiting', 'hidden' or 'all' comments."))
    text = text_argument("q", COMMENT_MAX_LENGTH)
    username = text_argument("user", USERNAME_MAX_LENGTH)
    before = page_cursor("before")
    found, more = service.queue(show, text, username, before)
    older = url_for("comment_queue.comments", show=show, q=text or None, user=username or None,
                    before=found[-1].id) if more else None
    return render_template("moderation/queue.html", comments=found, show=show,
                           show_choices=SHOW_CHOICES, text=text, username=username,
                           older=older, here=request.full_path)


def moderation_action(comment_id, act, message):
    comment = db.get_or_404(Comment, comment_id, description=_("There is no such comment."))
    act(comment)
    flash(message, "success")
    return redirect(safe_next_path(request.form.get("next"), url_for("comment_queue.comments")))


@bp.post("/<int:comment_id>/hide")
def hide(comment_id):
    return moderation_action(comment_id, service.hide, _("The comment is hidden."))


@bp.post("/<int:comment_id>/restore")
def restore(comment_id):
    return moderation_action(comment_id, service.restore, _("The comment is shown again."))


@bp.post("/<int:comment_id>/approve")
def approve(comment_id):
    return moderation_action(comment_id, service.approve,
                             _("The comment is approved and shown."))


@bp.post("/<int:comment_id>/dismiss")
def dismiss(comment_id):
    return moderation_action(comment_id, service.dismiss_reports,
                             _("The reports are dismissed; the comment stays as it is."))
