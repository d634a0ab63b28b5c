"""What moderators do to a comment: hide, restore or approve it, and mark
its reports as dealt with. Each change is committed at once."""
import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import Comment, CommentReport, User


class ReportError(ValueError):
    """A report that cannot be made; the message says why."""


def report(comment, reporter, reason):
    """A user's report of a comment; each user reports a comment once."""
    already = sa.select(CommentReport.id).where(CommentReport.comment_id == comment.id,
                                                CommentReport.reporter_id == reporter.id)
    if db.session.scalar(already) is not None:
        raise ReportError(_("You have already reported this comment."))
    db.session.add(CommentReport(comment_id=comment.id, reporter_id=reporter.id,
                                 reason=reason or None))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # The same report sent twice at once: the unique key keeps one.
        db.session.rollback()
        raise ReportError(_("You have already reported this comment.")) from None


def mark_reports_reviewed(comment):
    db.session.execute(sa.update(CommentReport).where(CommentReport.comment_id == comment.id)
                       .values(reviewed=True))


def hide(comment):
    comment.is_hidden = True
    mark_reports_reviewed(comment)
    db.session.commit()


def restore(comment):
    """Show a hidden comment again; reports so far are dealt with."""
    comment.is_hidden = False
    mark_reports_reviewed(comment)
    db.session.commit()


def dismiss_reports(comment):
    mark_reports_reviewed(comment)
    db.session.commit()


def approve(comment):
    comment.is_held = False
    db.session.commit()


WAITING = sa.or_(
    Comment.is_held,
    sa.select(CommentReport.id).where(CommentReport.comment_id == Comment.id,
                                      sa.not_(CommentReport.reviewed)).exists(),
)
SHOWN = {
    "waiting": WAITING,
    "hidden": Comment.is_hidden,
    "all": sa.true(),
}
QUEUE_PAGE_SIZE = 50


def queue(show, text=None, username=None, before=None):
    """Comments for moderators, newest first: those waiting (held, or with
    reports nobody has dealt with), the hidden ones, or all; optionally only
    those containing ``text`` or written by ``username``. One page of
    QUEUE_PAGE_SIZE, and whether there are older ones."""
    query = (sa.select(Comment)
             .options(sa.orm.joinedload(Comment.commenter),
                      sa.orm.selectinload(Comment.reports).joinedload(CommentReport.reporter))
             .where(SHOWN[show]).order_by(Comment.id.desc()).limit(QUEUE_PAGE_SIZE + 1))
    if text:
        query = query.where(Comment.content.icontains(text, autoescape=True))
    if username:
        query = query.where(Comment.commenter.has(User.username == username))
    if before is not None:
        query = query.where(Comment.id < before)
    comments = db.session.scalars(query).all()
    return comments[:QUEUE_PAGE_SIZE], len(comments) > QUEUE_PAGE_SIZE
