"""The board: reading, posting and deleting comments."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import limits
from .extensions import db, login_manager
from .forms import CommentForm, ConfirmForm
from .models import BoardPage, Comment, utc_now

bp = Blueprint("comments", __name__)


def page_cursor(name):
    """A ``before``/``after`` query argument: a positive whole number, or None."""
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        abort(400, description="That page does not exist: the page link must end in a whole number.")
    return int(value)


@bp.route("/", methods=["GET", "POST"])
@limits.comments_per_user
def index():
    # Visitors get no form: making one would give each of them a session cookie.
    form = None
    status = 200
    if current_user.is_authenticated:
        form = CommentForm()
        if form.validate_on_submit():
            db.session.add(Comment(content=form.contents.data, posted=utc_now(),
                                   commenter=current_user._get_current_object()))
            db.session.commit()
            flash("Your comment has been posted.", "success")
            return redirect(url_for("comments.index"))
        if form.errors:
            status = 400
    elif request.method == "POST":
        return login_manager.unauthorized()
    page = BoardPage.load(
        current_app.config["COMMENTS_PER_PAGE"],
        before=page_cursor("before"),
        after=page_cursor("after"),
    )
    return render_template("comments/index.html", page=page, form=form), status


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
        return redirect(url_for("comments.index"))
    return render_template("comments/delete.html", comment=comment, form=form)
