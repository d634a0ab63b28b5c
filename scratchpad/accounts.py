"""Creating accounts and checking passwords, for the web and the command line."""
import functools
import secrets
import unicodedata

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import User
from .passwords import password_problem


USERNAME_MAX_LENGTH = 128


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


@functools.cache
def current_hash_method():
    """The method and parameters werkzeug uses now, e.g. ``scrypt:32768:8:1``."""
    return generate_password_hash(secrets.token_hex(8)).split("$", 1)[0]


@functools.cache
def dummy_hash():
    """A hash nobody knows the password to, checked when the user does not
    exist, so that an unknown name takes as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16))


def find_user(username):
    """The user with exactly that name. MySQL compares names without regard to
    case or trailing spaces; the check in Python makes every database agree."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    return user if user is not None and user.username == username else None


def has_control_characters(text):
    return any(unicodedata.category(char) == "Cc" for char in text)


def could_be_username(username):
    """False for a name no account can have. Such names are not looked up:
    PostgreSQL refuses a NUL character outright."""
    return 0 < len(username) <= USERNAME_MAX_LENGTH and not has_control_characters(username)


def authenticate(username, password):
    """The active user with that name and password, or None.

    A hash made with older parameters is replaced by one made with the current
    default, now that the password is known."""
    user = find_user(username) if could_be_username(username) else None
    if user is None:
        check_password_hash(dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    if user.password_hash.split("$", 1)[0] != current_hash_method():
        user.password_hash = generate_password_hash(password)
        db.session.commit()
    return user


def create_user(username, password, is_admin=False):
    username = (username or "").strip()
    if not username:
        raise AccountError("The username must not be empty.")
    if len(username) > USERNAME_MAX_LENGTH:
        raise AccountError(f"The username can be at most {USERNAME_MAX_LENGTH} characters.")
    if has_control_characters(username):
        raise AccountError("The username must not contain control characters.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_user(username) is not None:
        raise AccountError(f"The username {username!r} is already taken.")
    user = User(username=username, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise AccountError(f"The username {username!r} is already taken.") from None
    return user


def change_password(user, password):
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.set_password(password)
    db.session.commit()
