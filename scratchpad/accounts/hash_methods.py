"""Which hash methods the stored passwords use.

Each method costs its own time to check: Argon2id about as much as werkzeug's
scrypt, the Flask tutorial's pbkdf2 a fraction of it. So that the time a
failed login takes tells nothing about the account (whether it exists, or has
a hash from before the last change of method), every login checks the password
once against each method in use: against the account's own hash for its
method, against a dummy hash for the others. Once every older hash has been
replaced, a login costs one check at the current method again.

The methods are looked up at most every LOOKUP_SECONDS per process, and at
once after this process stores a hash."""
import time

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import User
from .passwords import current_hash_method, hash_method

LOOKUP_SECONDS = 60
# A bound on the lookups of one refresh, whatever the table holds.
MOST_METHODS = 16
EXTENSION_KEY = "scratchpad.hash_methods"


def methods_in_use():
    """The current method and every other method a stored hash was made with."""
    known = current_app.extensions.get(EXTENSION_KEY)
    if known is not None and known[0] > time.monotonic():
        return known[1]
    methods = {current_hash_method()}
    for _ in range(MOST_METHODS):
        other = db.session.scalar(sa.select(User.password_hash).where(
            *[~_made_with(method) for method in methods]).limit(1))
        if other is None:
            break
        methods.add(hash_method(other))
    current_app.extensions[EXTENSION_KEY] = (time.monotonic() + LOOKUP_SECONDS,
                                             frozenset(methods))
    return frozenset(methods)


def forget():
    """Look the methods up again at the next login (a hash was just stored)."""
    current_app.extensions.pop(EXTENSION_KEY, None)


def _made_with(method):
    return sa.or_(User.password_hash == method,
                  User.password_hash.startswith(method + "$", autoescape=True))
