"""A comment's text as HTML: a small Markdown subset rendered by markdown-it-py,
then cleaned by nh3 against an allow-list.

Allowed: paragraphs, line breaks, emphasis (*em*, **strong**), inline code
and code blocks, quotes, lists and links. Everything else (headings, rules,
images, raw HTML) stays as the text that was typed. Links may only lead to
http, https and mailto addresses, and carry rel="nofollow ugc noopener".

A comment is rendered once, when it is saved; the HTML is kept beside the
text. When these rules change, ``flask comments rerender`` renders every
formatted comment again.
"""
import functools
import re

import nh3

# Quotes and lists nested deeper than this are cut off: a comment built of
# thousands of nested markers stays quick to render and the page shallow.
MAX_NESTING = 12

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
# "*" is what every tag may carry: nothing (nh3 would allow lang and title).
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "*": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
NOT_ALLOWED_RULES = ["heading", "lheading", "hr", "image", "html_block", "html_inline"]

# Characters that reverse the direction of the text after them: in a link's
# text they can make it read as something it is not.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@functools.cache
def markdown():
    # Imported when the first comment is saved: a process that only serves
    # pages never loads markdown-it's sixty modules.
    from markdown_it import MarkdownIt
    return (MarkdownIt("commonmark", {"html": False, "breaks": True, "maxNesting": MAX_NESTING})
            .disable(NOT_ALLOWED_RULES))


def without_bidi_controls_in_links(tokens):
    for block in tokens:
        in_link = False
        for token in block.children or ():
            if token.type == "link_open":
                in_link = True
            elif token.type == "link_close":
                in_link = False
            elif in_link and token.content:
                token.content = BIDI_CONTROLS.sub("", token.content)
    return tokens


def render(text):
    """The cleaned HTML of a comment's text."""
    parser = markdown()
    tokens = without_bidi_controls_in_links(parser.parse(text))
    html = parser.renderer.render(tokens, parser.options, {})
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=ALLOWED_URL_SCHEMES, link_rel=LINK_REL, strip_comments=True)
