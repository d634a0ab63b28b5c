"""Holding the first comments of new accounts until an administrator approves them."""
import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Comment


def is_held_on_arrival(author):
    """Whether a comment ``author`` posts now waits for approval: one of their
    first HOLD_NEW_ACCOUNTS comments (administrators are never held)."""
    hold = current_app.config["HOLD_NEW_ACCOUNTS"]
    if not hold or author.is_admin:
        return False
    earlier = db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(Comment.commenter_id == author.id))
    return earlier < hold
