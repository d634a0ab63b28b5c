"""Email addresses: the rule an address must meet, and the form they are kept in."""
import re

from ..models import EMAIL_MAX_LENGTH
from .wording import gettext as _

# Deliberately loose: one @, something on each side, a dot in the domain, no
# spaces. Whether the address works is what the verification mail finds out.
ADDRESS_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def normalized_email(address):
    """The address as stored and compared: without surrounding spaces, in lower case."""
    return (address or "").strip().lower()


def email_problem(address):
    """What is wrong with an (already normalized) address, or None."""
    if not address:
        return _("Enter your email address.")
    if len(address) > EMAIL_MAX_LENGTH:
        return _("An email address can be at most %(num)d characters.", num=EMAIL_MAX_LENGTH)
    if not ADDRESS_PATTERN.fullmatch(address) or any(ord(char) < 0x20 for char in address):
        return _("Enter an email address such as name@example.org.")
    return None
