"""One-time tokens for the links the site hands out: invitations, email
verification and password reset.

A token is a random selector followed by a random secret. The database keeps
the selector (to find the row) and the SHA-256 hash of the whole token, never
the token itself; the hash is compared in constant time. A token is used up
by deleting (or marking) its row in the transaction that acts on it, so of two
simultaneous uses only one succeeds.
"""
import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from typing import NamedTuple

import sqlalchemy as sa

from ..extensions import db
from ..models import TOKEN_SELECTOR_LENGTH, AccountToken, utc_now

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{59}")

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
LIFETIMES = {
    VERIFY_EMAIL: timedelta(days=2),
    RESET_PASSWORD: timedelta(hours=1),
}
# An administrator's reset link is handed over by hand, which can take longer.
HANDED_RESET_LIFETIME = timedelta(hours=24)


class NewToken(NamedTuple):
    token: str
    selector: str
    token_hash: str


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    selector = secrets.token_urlsafe(12)  # 16 characters
    token = selector + secrets.token_urlsafe(32)
    return NewToken(token, selector, hash_token(token))


def selector_of(token):
    """The selector of a well-formed token, or None: anything else is not looked up."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    return token[:TOKEN_SELECTOR_LENGTH]


def token_matches(token, stored_hash):
    return hmac.compare_digest(hash_token(token), stored_hash)


def password_fingerprint(user):
    """Changes whenever the password does: a reset link made for one password
    is worthless once another has been set."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()


def issue(user, purpose, email=None, lifetime=None):
    """A new token for ``user``, committed; returns the token for the link."""
    new = new_token()
    db.session.add(AccountToken(
        user_id=user.id, purpose=purpose, selector=new.selector, token_hash=new.token_hash,
        email=email,
        password_fingerprint=password_fingerprint(user) if purpose == RESET_PASSWORD else None,
        expires=utc_now() + (lifetime or LIFETIMES[purpose]),
    ))
    db.session.commit()
    return new.token


def find(token, purpose):
    """The unexpired, unused token row for this token and purpose, or None."""
    selector = selector_of(token)
    if selector is None:
        return None
    row = db.session.scalar(sa.select(AccountToken).where(AccountToken.selector == selector,
                                                          AccountToken.purpose == purpose))
    if row is None or not token_matches(token, row.token_hash) or row.expires <= utc_now():
        return None
    if row.user is None:
        return None
    if purpose == RESET_PASSWORD and row.password_fingerprint != password_fingerprint(row.user):
        return None
    return row


def use(row):
    """Use a token up, in the current transaction: False when a simultaneous
    request already has."""
    result = db.session.execute(sa.delete(AccountToken).where(AccountToken.id == row.id),
                                execution_options={"synchronize_session": False})
    return result.rowcount == 1
