"""What a search result shows of a comment: a stretch of its text as readers
see it, as plain text, with the words searched for marked.

The text comes from the comment's cleaned HTML with every tag taken away
(or is the plain text of a comment from before formatting), so no markup of
the comment's is ever passed on; the snippet is built from escaped pieces and
<mark> elements only."""
import html

import nh3
from markupsafe import Markup, escape

from .words import WORD, word_key

SNIPPET_LENGTH = 240
# How much of the text before the first marked word the snippet keeps.
LEAD = 60
ELLIPSIS = "…"


def plain_text(comment):
    """The comment's text as a reader sees it, white space folded."""
    if comment.rendered_html is None:
        text = comment.content or ""
    else:
        text = html.unescape(nh3.clean(comment.rendered_html, tags=set()))
    return " ".join(text.split())


def snippet(comment, words):
    """Escaped HTML: up to SNIPPET_LENGTH characters of the comment's text
    around the first of ``words`` in it, each of them in <mark>."""
    text = plain_text(comment)
    keys = {word_key(word) for word in words}
    found = [match for match in WORD.finditer(text) if word_key(match.group()) in keys]
    start = 0
    if found and len(text) > SNIPPET_LENGTH:
        start = max(0, min(found[0].start() - LEAD, len(text) - SNIPPET_LENGTH))
        if start:
            # Begin at a word.
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < found[0].start() else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = [ELLIPSIS + " "] if start else []
    position = start
    for match in found:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[position:match.start()]))
        pieces.append(Markup("<mark>{}</mark>").format(match.group()))
        position = match.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(" " + ELLIPSIS)
    return Markup("").join(pieces)
