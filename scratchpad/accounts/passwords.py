"""Passwords: the rule a new one must meet, and how they are hashed and checked.

New hashes are Argon2id at OWASP's first recommendation (19 MiB, 2 passes,
1 lane). Older hashes — werkzeug's scrypt and pbkdf2, as the Flask tutorial
made them — are still checked, and replaced at the owner's next login.

Passwords are compared as typed after Unicode NFC normalisation, so that an
"é" typed as one character or as "e" and an accent is the same password."""
import functools
import secrets
import unicodedata
from collections.abc import Set
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import HashingError, InvalidHashError, VerificationError
from werkzeug.security import check_password_hash, generate_password_hash

from .wording import gettext as _

PASSWORD_MIN_LENGTH = 8
COMMON_PASSWORDS_FILE = "common_passwords.txt"
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PASSES = 2
ARGON2_LANES = 1

ARGON2_TYPES = {"argon2id": Type.ID, "argon2i": Type.I, "argon2d": Type.D}

hasher = PasswordHasher(time_cost=ARGON2_PASSES, memory_cost=ARGON2_MEMORY_KIB,
                        parallelism=ARGON2_LANES)


class LineSet(Set):
    """Strings without line breaks, kept as one string of lines: 80 KB for the
    common passwords, where a frozenset of them holds about 1 MB."""

    def __init__(self, lines):
        self._lines = "\n" + "".join(line + "\n" for line in lines)
        self._count = self._lines.count("\n") - 1

    def __contains__(self, value):
        return (isinstance(value, str) and "\n" not in value
                and f"\n{value}\n" in self._lines)

    def __iter__(self):
        return iter(self._lines[1:-1].split("\n") if self._count else ())

    def __len__(self):
        return self._count


@functools.cache
def common_passwords():
    """The 10,000 commonest passwords (see the head of the file for its source)."""
    text = resources.files(__package__).joinpath(COMMON_PASSWORDS_FILE).read_text("utf-8")
    return LineSet(dict.fromkeys(line for line in text.splitlines()
                                 if line and not line.startswith("#")))


def normalized_password(password):
    return unicodedata.normalize("NFC", password)


def password_problem(password, username=None):
    """What is wrong with a new password for the user named ``username``, or None."""
    if not password or not password.strip():
        return _("The password must not be empty.")
    if len(password) < PASSWORD_MIN_LENGTH:
        return _("The password must be at least %(num)d characters.", num=PASSWORD_MIN_LENGTH)
    folded = normalized_password(password).casefold()
    if folded in common_passwords():
        return _("That password is one of the 10,000 most common ones, which are tried "
                 "first by anyone guessing. Choose another.")
    if username and normalized_password(username).strip().casefold() in folded:
        return _("The password must not contain the username.")
    return None


def hash_password(password):
    return hasher.hash(normalized_password(password))


def is_argon2(password_hash):
    return password_hash.startswith("$argon2")


def password_matches(password_hash, password):
    """Whether ``password`` is the one ``password_hash`` was made from; a hash
    in a format nobody can check never matches."""
    password = normalized_password(password)
    if is_argon2(password_hash):
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(password_hash, password)
    except ValueError:  # a format werkzeug does not know
        return False


def hash_method(password_hash):
    """The method and parameters of a hash, without its salt and digest:
    ``$argon2id$v=19$m=19456,t=2,p=1`` or ``pbkdf2:sha256:50000``."""
    if is_argon2(password_hash):
        return password_hash.rsplit("$", 2)[0]
    return password_hash.split("$", 1)[0]


@functools.cache
def current_hash_method():
    """The method and parameters hashes are made with now."""
    return hash_method(hash_password(secrets.token_hex(8)))


def is_outdated(password_hash):
    """Whether a hash was made otherwise than new ones are."""
    if is_argon2(password_hash):
        try:
            return hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True
    return True


@functools.cache
def dummy_hash(method):
    """A hash made with ``method`` that nobody knows the password to, or None
    when no hash can be made that way (a format only ever read, never written)."""
    if method == current_hash_method():
        return hash_password(secrets.token_hex(16))
    try:
        if is_argon2(method):
            return argon2_hasher_for(method).hash(secrets.token_hex(16))
        return generate_password_hash(secrets.token_hex(16), method=method)
    except (ValueError, TypeError, OverflowError, KeyError, HashingError):
        return None


def argon2_hasher_for(method):
    """A hasher making hashes of an Argon2 method such as
    ``$argon2id$v=19$m=65536,t=3,p=4``."""
    _, variant, _, costs = method.split("$")
    cost = dict(part.split("=") for part in costs.split(","))
    return PasswordHasher(time_cost=int(cost["t"]), memory_cost=int(cost["m"]),
                          parallelism=int(cost["p"]), type=ARGON2_TYPES[variant])
