"""What a search asks for: the words of ``q``, read the same way on every
engine. A word is a run of letters, digits and underscores (with a letter or
digit in it); everything else (punctuation, quotes, the operators of each
engine's query language such as ``"``, ``*``, ``-``, ``+`` or parentheses)
only separates words, so nothing typed is ever an operator. Every word must
be in a comment for it to match, in any case and, except on PostgreSQL, with
or without accents."""
import re
import unicodedata

from flask_babel import gettext as _

# Longer searches are refused: no one types them, and each word costs the database.
MAX_QUERY_LENGTH = 200
# Underscores join letters and digits into a word, and make none on their own.
WORD = re.compile(r"\w*[^\W_]\w*")


class SearchRefused(ValueError):
    """A search that is not run; the message says why."""


def words_of(query):
    """The distinct words of ``query``, in the order typed; refuses what no
    search box sends."""
    if "\x00" in query:
        raise SearchRefused(_("The search could not be read: it had a NUL character in it."))
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchRefused(_("A search can be at most %(num)d characters long.",
                              num=MAX_QUERY_LENGTH))
    seen = {}
    for word in WORD.findall(query):
        seen.setdefault(word_key(word), word)
    return list(seen.values())


def word_key(word):
    """A word as the search compares it: case folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))
