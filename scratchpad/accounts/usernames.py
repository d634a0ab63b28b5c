"""The rule a username must meet, and the key names are compared by.

A name is stored NFKC-normalised, as typed otherwise. Two names are the same
account when their keys are equal: NFKC with case folding, so that "Bob",
"bob" and "ｂｏｂ" are one name on every database.

A name must show who it is: it needs a letter or a digit, and may hold
nothing that shows as nothing (control, formatting and other
default-ignorable characters), no accent left loose beside a Latin, Greek or
Cyrillic letter, and not be a label the site itself shows for an author."""
import unicodedata

from flask_babel import force_locale

from ..models import USERNAME_MAX_LENGTH
from ..site.languages import available_languages
from ..site.templating import ANONYMOUS_AUTHOR
from .wording import gettext as _

# Cc: control characters. Cf: invisible formatting characters, such as the
# zero-width space and the right-to-left override, which make look-alike names.
CONTROL, INVISIBLE = "Cc", "Cf"
COMBINING_MARKS = ("Mn", "Me")
# Default_Ignorable_Code_Point outside Cc and Cf, from Unicode 15.1's
# DerivedCoreProperties.txt (Python 3.11's unicodedata does not carry the
# property): fillers and variation selectors, which render as nothing, such
# as the Hangul filler U+3164 that makes "ㅤ" or "alice" + U+3164.
DEFAULT_IGNORABLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5),
                            (0x180B, 0x180F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
                            (0xFFA0, 0xFFA0), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
                            (0xE0000, 0xE0FFF))
# Latin, Greek and Cyrillic letters take their accents precomposed (NFKC
# composes every one Unicode has): a mark still loose beside one stacks or
# imitates a letter.
PRECOMPOSED_SCRIPTS = ((0x0041, 0x052F), (0x1E00, 0x1FFF))


def normalized_username(username):
    return unicodedata.normalize("NFKC", username or "")


def username_key(username):
    """The form of a name that uniqueness and look-ups compare."""
    return unicodedata.normalize("NFKC", normalized_username(username).casefold())


def has_category(username, category):
    return any(unicodedata.category(char) == category for char in username)


def shows_as_nothing(char):
    point = ord(char)
    return (unicodedata.category(char) in (CONTROL, INVISIBLE)
            or any(low <= point <= high for low, high in DEFAULT_IGNORABLE_RANGES))


def has_loose_mark(username):
    for before, char in zip(username, username[1:]):
        if unicodedata.category(char) in COMBINING_MARKS and any(
                low <= ord(before) <= high for low, high in PRECOMPOSED_SCRIPTS):
            return True
    return False


def has_letter_or_digit(username):
    return any(unicodedata.category(char)[0] in "LN" for char in username)


def authors_label_keys():
    """The label shown for comments whose author has gone, in every language."""
    keys = set()
    for language in available_languages():
        with force_locale(language):
            keys.add(username_key(str(ANONYMOUS_AUTHOR)))
    return keys


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
    if any(shows_as_nothing(char) for char in username):
        return _("The username must not contain invisible or direction-changing characters.")
    if username != username.strip():
        return _("The username must not begin or end with a space.")
    if not has_letter_or_digit(username):
        return _("The username must contain a letter or a digit.")
    if has_loose_mark(username):
        return _("The username must not contain accents apart from their letters: type the "
                 "letter with its accent.")
    if username_key(username) in authors_label_keys():
        return _("%(name)s is what the site shows for comments whose author has gone; choose "
                 "another name.", name=repr(username))
    return None


def could_be_username(username):
    """False for a name no account can have. Such names are not looked up:
    PostgreSQL refuses a NUL character outright."""
    username = normalized_username(username)
    return (0 < len(username) <= USERNAME_MAX_LENGTH
            and not has_category(username, CONTROL))
