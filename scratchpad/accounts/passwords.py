"""Passwords: the rule a new one must meet, and how they are hashed and checked.

Passwords are compared as typed after Unicode NFC normalisation, so that an
"é" typed as one character or as "e" and an accent is the same password."""
import functools
import secrets
import unicodedata
from importlib import resources

from werkzeug.security import check_password_hash, generate_password_hash

PASSWORD_MIN_LENGTH = 8
COMMON_PASSWORDS_FILE = "common_passwords.txt"


@functools.cache
def common_passwords():
    """The 10,000 commonest passwords (see the head of the file for its source)."""
    text = resources.files(__package__).joinpath(COMMON_PASSWORDS_FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def normalized_password(password):
    return unicodedata.normalize("NFC", password)


def password_problem(password, username=None):
    """What is wrong with a new password for the user named ``username``, or None."""
    if not password or not password.strip():
        return "The password must not be empty."
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"The password must be at least {PASSWORD_MIN_LENGTH} characters."
    folded = normalized_password(password).casefold()
    if folded in common_passwords():
        return ("That password is one of the 10,000 most common ones, which are tried "
                "first by anyone guessing. Choose another.")
    if username and normalized_password(username).strip().casefold() in folded:
        return "The password must not contain the username."
    return None


def hash_password(password):
    return generate_password_hash(normalized_password(password))


def password_matches(password_hash, password):
    try:
        return check_password_hash(password_hash, normalized_password(password))
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
    """A hash nobody knows the password to, made with the current method. It
    is checked when the user does not exist, or has an outdated hash, so that
    every login costs at least one check at the current method's price."""
    return hash_password(secrets.token_hex(16))
