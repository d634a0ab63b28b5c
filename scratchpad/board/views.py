"""The board's pages: reading comments and threads, posting, replying,
editing and deleting."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user

from ..extensions import limiter, login_manager
from ..moderation.holds import is_held_on_arrival
from ..site.forms import ConfirmForm
from ..site.limits import is_anonymous, logged_in_user, retry_message, setting
from ..accounts.registration import awaiting_verification, refuse_unverified_poster
from . import bp, comments
from .comments import visible_comment_or_404
from .forms import CommentForm, EditForm, ReplyBoxes, ReplyForm
from .paging import BoardPage, requested_page
from .shown import Reader, ShownComment

# Comments and replies count together.
comments_per_user = limiter.shared_limit(
    setting("COMMENT_LIMITS_PER_USER"), scope="comments", key_func=logged_in_user,
    methods=["POST"],
    exempt_when=is_anonymous,
    error_message=retry_message(_l("You have posted too many comments in a short time.")),
)


def posted_message(comment, posted):
    if comment.is_held:
        return _("Your comment is waiting for approval: it appears to others once an "
                 "administrator approves it."), "info"
    return posted, "success"


@bp.route("/", methods=["GET", "POST"])
@comments_per_user
def index():
    # Visitors get no form: making one would give each of them a session cookie.
    form = reply_boxes = None
    status = 200
    if awaiting_verification(current_user):
        if request.method == "POST":
            return refuse_unverified_poster()
    elif current_user.is_authenticated:
        form = CommentForm()
        reply_boxes = ReplyBoxes()
        if form.validate_on_submit():
            comment = comments.post(current_user, form.contents.data,
                                    held=is_held_on_arrival(current_user))
            flash(*posted_message(comment, _("Your comment has been posted.")))
            return redirect(url_for("board.index"))
        if form.errors:
            status = 400
    elif request.method == "POST":
        return login_manager.unauthorized()
    before, after = requested_page()
    page = BoardPage.load(current_app.config["COMMENTS_PER_PAGE"], current_user,
                          before=before, after=after)
    return render_template("board/index.html", page=page, form=form,
                           reply_boxes=reply_boxes), status


def board_page_link(comment):
    """The board page that starts with the comment's thread."""
    thread_id = comment.thread_id
    return url_for("board.index", before=thread_id + 1, _anchor=f"comment-{comment.id}")


@bp.get("/comments/<int:comment_id>")
def comment(comment_id):
    comment = visible_comment_or_404(comment_id)
    root = comments.thread_root(comment)
    replies = comments.thread_replies([root.id], current_user)[root.id]
    reader = Reader.of(current_user)
    root = ShownComment.from_comment(root, reader)
    replies = [ShownComment.from_comment(reply, reader, root.is_answerable) for reply in replies]
    return render_template("board/comment.html", comment=comment, root=root, replies=replies,
                           board_page=board_page_link(comment),
                           reply_boxes=ReplyBoxes() if current_user.is_authenticated else None)


def answerable_thread(comment_id):
    """The thread a reply to the comment joins; refused for comments that
    cannot be answered."""
    comment = visible_comment_or_404(comment_id)
    root = comments.thread_root(comment)
    if comment.is_hidden or root.is_hidden:
        abort(403, description=_("This comment was hidden by a moderator, so it cannot be "
                                 "answered."))
    if comment.is_held or root.is_held:
        abort(403, description=_("This comment is waiting for approval; it can be answered "
                                 "once an administrator has approved it."))
    return comment, root


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@comments_per_user
def reply(comment_id):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if awaiting_verification(current_user):
        return refuse_unverified_poster()
    comment, root = answerable_thread(comment_id)
    form = ReplyForm()
    if form.validate_on_submit():
        answer = comments.post(current_user, form.contents.data, parent=root,
                                   held=is_held_on_arrival(current_user))
        flash(*posted_message(answer, _("Your reply has been posted.")))
        return redirect(url_for("board.comment", comment_id=answer.id,
                                _anchor=f"comment-{answer.id}"))
    status = 400 if form.errors else 200
    return render_template("board/reply.html", comment=comment, form=form), status


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    comment = visible_comment_or_404(comment_id)
    if not (comment.is_by(current_user) or current_user.is_admin):
        abort(403, description=_("You can only edit your own comments."))
    if not comments.may_edit(comment, current_user):
        minutes = current_app.config["EDIT_WINDOW"]
        # Plural rules count whole numbers; a fraction of a minute reads as plural.
        count = int(minutes) if float(minutes).is_integer() else 2
        abort(403, description=ngettext(
            "This comment can no longer be edited: comments can be edited for %(minutes)s "
            "minute after they are posted.",
            "This comment can no longer be edited: comments can be edited for %(minutes)s "
            "minutes after they are posted.", count, minutes=f"{minutes:g}"))
    form = EditForm(contents=comment.content)
    if form.validate_on_submit():
        comments.edit(comment, current_user, form.contents.data)
        flash(_("Your changes have been saved."), "success")
        return redirect(url_for("board.comment", comment_id=comment.id,
                                _anchor=f"comment-{comment.id}"))
    status = 400 if form.errors else 200
    return render_template("board/edit.html", comment=comment, form=form), status


def comment_for_deletion(comment_id):
    comment = visible_comment_or_404(comment_id)
    if not comment.may_be_deleted_by(current_user):
        abort(403, description=_("You can only delete your own comments."))
    return comment


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
def delete(comment_id):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    comment = comment_for_deletion(comment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        comments.delete(comment)
        flash(_("The comment has been deleted."), "success")
        return redirect(url_for("board.index"))
    return render_template("board/delete.html", comment=comment, form=form)
