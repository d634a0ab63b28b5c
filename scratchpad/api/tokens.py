"""Personal access tokens: made on the account page and shown once, then
stored only as their SHA-256 hash, as login sessions are (accounts/sessions.py).
Every token starts with PREFIX, so that one that turns up in a log, a
repository or a paste is recognisable as a Scratchpad token (secret scanners
can look for it). A password change, disabling and deleting the account end
a user's tokens with their sessions (accounts/service.py: end_sessions)."""
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..accounts.sessions import token_hash
from ..extensions import db
from ..models import ApiToken, utc_now

PREFIX = "scratchpad_pat_"
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(re.escape(PREFIX) + r"[A-Za-z0-9_-]{43}")
# Using a token refreshes "last used" at most this often, so that most
# requests write nothing.
LAST_USED_PRECISION = timedelta(minutes=1)

MISSING = ("This request needs a personal access token, sent as "
           "'Authorization: Bearer <token>'. Make one on your account page.")
NOT_VALID = ("The access token is not valid: it is mistyped or has been revoked (a new "
             "password, or a disabled or deleted account, ends every token of the account).")
EXPIRED = "The access token has expired. Make a new one on your account page."


def issue(user, name, lifetime=None):
    """A new token for ``user``, committed: its row, and the token itself,
    which is never stored and so can be shown only now."""
    token = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_hash(token),
                   expires=utc_now() + lifetime if lifetime else None)
    db.session.add(row)
    db.session.commit()
    return row, token


def holder(token):
    """``(user, None)`` for a live token of an active account, else
    ``(None, why)``. Marks the token as used now (at most once a minute)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None, NOT_VALID
    row = db.session.scalar(sa.select(ApiToken).options(joinedload(ApiToken.user))
                            .where(ApiToken.token_hash == token_hash(token)))
    if row is None or not row.user.is_active:
        return None, NOT_VALID
    if row.has_expired():
        return None, EXPIRED
    now = utc_now()
    if row.last_used is None or row.last_used < now - LAST_USED_PRECISION:
        row.last_used = now
        db.session.commit()
    return row.user, None


def tokens_of(user):
    """The user's tokens, newest first, expired ones included until revoked."""
    return db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.id.desc())).all()


def revoke(user, token_id):
    """Delete one of the user's tokens; its name, or None when the user has
    no token with that id. Commits."""
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                      ApiToken.user_id == user.id))
    if row is None:
        return None
    db.session.delete(row)
    db.session.commit()
    return row.name
