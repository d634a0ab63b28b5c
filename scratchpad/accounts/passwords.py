"""Passwords: the rule a new one must meet, and how they are hashed and checked."""
import functools
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

PASSWORD_MIN_LENGTH = 8


def password_problem(password):
    """What is wrong with a new password, or None."""
    if not password or not password.strip():
        return "The password must not be empty."
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"The password must be at least {PASSWORD_MIN_LENGTH} characters."
    return None


def hash_password(password):
    return generate_password_hash(password)


def password_matches(password_hash, password):
    try:
        return check_password_hash(password_hash, password)
    except ValueError:  # a hash in a format werkzeug no longer knows
        return False


@functools.cache
def current_hash_method():
    """The method and parameters hashes are made with now, e.g. ``scrypt:32768:8:1``."""
    return hash_password(secrets.token_hex(8)).split("$", 1)[0]


def is_outdated(password_hash):
    """Whether a hash was made with other parameters than new ones are."""
    return password_hash.split("$", 1)[0] != current_hash_method()


@functools.cache
def dummy_hash():
    """A hash nobody knows the password to, checked when the user does not
    exist, so that an unknown name takes as long as a wrong password."""
    return hash_password(secrets.token_hex(16))
