"""The rule a username must meet, and the key names are compared by.

A name is stored NFKC-normalised, as typed otherwise. Two names are the same
account when their keys are equal: NFKC with case folding, so that "Bob",
"bob" and "ｂｏｂ" are one name on every database."""
import unicodedata

from ..models import USERNAME_MAX_LENGTH
from .wording import gettext as _

# Cc: control characters. Cf: invisible formatting characters, such as the
# zero-width space and the right-to-left override, which make look-alike names.
CONTROL, INVISIBLE = "Cc", "Cf"


def normalized_username(username):
    return unicodedata.normalize("NFKC", username or "")


def username_key(username):
    """The form of a name that uniqueness and look-ups compare."""
    return unicodedata.normalize("NFKC", normalized_username(username).casefold())


def has_category(username, category):
    return any(unicodedata.category(char) == category for char in username)


def username_problem(username):
    """What is wrong with a new username, or None. Nothing is stripped or
    changed silently: a name with a space at either end is refused."""
    username = normalized_username(username)
    if not username:
        return _("The username must not be empty.")
    if len(username) > USERNAME_MAX_LENGTH:
        return _("The username can be at most %(num)d characters.", num=USERNAME_MAX_LENGTH)
    if has_category(username, CONTROL):
        return _("The username must not contain control characters.")
    if has_category(username, INVISIBLE):
        return _("The username must not contain invisible or direction-changing characters.")
    if username != username.strip():
        return _("The username must not begin or end with a space.")
    return None


def could_be_username(username):
    """False for a name no account can have. Such names are not looked up:
    PostgreSQL refuses a NUL character outright."""
    username = normalized_username(username)
    return (0 < len(username) <= USERNAME_MAX_LENGTH
            and not has_category(username, CONTROL))
