"""The rule a username must meet."""
import unicodedata

from ..models import USERNAME_MAX_LENGTH


def has_control_characters(text):
    return any(unicodedata.category(char) == "Cc" for char in text)


def username_problem(username):
    """What is wrong with a new (already stripped) username, or None."""
    if not username:
        return "The username must not be empty."
    if len(username) > USERNAME_MAX_LENGTH:
        return f"The username can be at most {USERNAME_MAX_LENGTH} characters."
    if has_control_characters(username):
        return "The username must not contain control characters."
    return None


def could_be_username(username):
    """False for a name no account can have. Such names are not looked up:
    PostgreSQL refuses a NUL character outright."""
    return 0 < len(username) <= USERNAME_MAX_LENGTH and not has_control_characters(username)
