"""Invitations: links an administrator makes and hands out, each good for
one new account until it expires or is withdrawn."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import ngettext

from ..extensions import db
from ..models import Invitation, utc_now
from .tokens import new_token, selector_of, token_matches

INVITATIONS_LISTED = 50


def create_invitation(created_by, note=None):
    """A new invitation, committed, and the token for its link (shown once:
    only its hash is kept)."""
    new = new_token()
    lifetime = timedelta(seconds=current_app.config["INVITATION_LIFETIME"])
    invitation = Invitation(selector=new.selector, token_hash=new.token_hash, note=note or None,
                            created_by_id=created_by.id, expires=utc_now() + lifetime)
    db.session.add(invitation)
    db.session.commit()
    return invitation, new.token


def recent_invitations():
    return db.session.scalars(sa.select(Invitation).order_by(Invitation.id.desc())
                              .limit(INVITATIONS_LISTED)).all()


def usable_invitation(token):
    """The unused, unexpired invitation this token is for, or None."""
    selector = selector_of(token)
    if selector is None:
        return None
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.selector == selector))
    if (invitation is None or not token_matches(token, invitation.token_hash)
            or invitation.used_at is not None or invitation.expires <= utc_now()):
        return None
    return invitation


def claim(invitation):
    """Mark the invitation used, in the current transaction: False when a
    simultaneous request already has."""
    result = db.session.execute(
        sa.update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utc_now()),
        execution_options={"synchronize_session": False})
    return result.rowcount == 1


def record_use(invitation, user):
    invitation.used_by_id = user.id
    db.session.commit()


def withdraw(invitation):
    db.session.delete(invitation)
    db.session.commit()


def lifetime_text():
    """How long a new invitation lasts, in words: "7 days", "1 hour", "90 minutes"."""
    seconds = current_app.config["INVITATION_LIFETIME"]
    if seconds % 86400 == 0 and seconds:
        return ngettext("%(num)d day", "%(num)d days", seconds // 86400)
    if seconds % 3600 == 0 and seconds:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds % 60 == 0 and seconds:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return ngettext("%(num)d second", "%(num)d seconds", seconds)


def status(invitation):
    if invitation.used_at is not None:
        return "used"
    return "expired" if invitation.expires <= utc_now() else "open"
