"""The board's pages: reading, posting and deleting comments."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db, limiter, login_manager
from ..models import Comment, utc_now
from ..site.forms import ConfirmForm
from ..site.limits import is_anonymous, logged_in_user, retry_message, setting
from ..accounts.registration import awaiting_verification, refuse_unverified_poster
from . import bp
from .forms import CommentForm
from .paging import BoardPage, requested_page

comments_per_user = limiter.limit(
    setting("COMMENT_LIMITS_PER_USER"), key_func=logged_in_user, methods=["POST"],
    exempt_when=is_anonymous,
    error_message=retry_message("You have posted too many comments in a short time."),
)


@bp.route("/", methods=["GET", "POST"])
@comments_per_user
def index():
    # Visitors get no form: making one would give each of them a session cookie.
    form = None
    status = 200
    if awaiting_verification(current_user):
        if request.method == "POST":
            return refuse_unverified_poster()
    elif current_user.is_authenticated:
        form = CommentForm()
        if form.validate_on_submit():
            db.session.add(Comment(content=form.contents.data, posted=utc_now(),
                                   commenter_id=current_user.id))
            db.session.commit()
            flash("Your comment has been posted.", "success")
            return redirect(url_for("board.index"))
        if form.errors:
            status = 400
    elif request.method == "POST":
        return login_manager.unauthorized()
    before, after = requested_page()
    page = BoardPage.load(current_app.config["COMMENTS_PER_PAGE"], before=before, after=after)
    return render_template("board/index.html", page=page, form=form), status


def comment_for_deletion(comment_id):
    comment = db.get_or_404(Comment, comment_id, description="There is no such comment.")
    if not comment.may_be_deleted_by(current_user):
        abort(403, description="You can only delete your own comments.")
    return comment


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
def delete(comment_id):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    comment = comment_for_deletion(comment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        db.session.delete(comment)
        db.session.commit()
        flash("The comment has been deleted.", "success")
        return redirect(url_for("board.index"))
    return render_template("board/delete.html", comment=comment, form=form)
