"""Helpers for the templates: how comments' times and authors are shown, and
the way to the login page."""
from flask import request, url_for
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup, escape

from .languages import moment_text

# For comments from before commenters existed.
ANONYMOUS_AUTHOR = lazy_gettext("Anonymous Coward")


def time_element(moment):
    """``Friday, September 1, 2017, 5:44 PM`` in the page's language, in a
    <time> element (UTC; scratchpad.js shows it in the reader's time zone)."""
    iso = moment.isoformat(timespec="seconds") + "Z"
    shown = escape(moment_text(moment))
    in_utc = escape(gettext("%(moment)s UTC", moment=moment_text(moment)))
    return Markup(f'<time datetime="{iso}" title="{in_utc}">{shown}</time>')


def posted_at(comment, as_reply=False):
    """``Posted <time>`` (``Reply posted <time>``), or ``Posted at an unknown
    time`` for comments from before timestamps existed."""
    if comment.posted is None:
        return escape(gettext("Posted at an unknown time"))
    if as_reply:
        sentence = gettext("Reply posted %(moment)s")
    else:
        sentence = gettext("Posted %(moment)s")
    return Markup(escape(sentence)) % {"moment": time_element(comment.posted)}


def posted_by(comment):
    return comment.commenter.username if comment.commenter else str(ANONYMOUS_AUTHOR)


def login_url():
    """The login page, leading back to the page the visitor is reading. A
    HEAD describes the GET of the same page, so it leads back too."""
    if (request.method not in ("GET", "HEAD")
            or request.endpoint in (None, "accounts.login", "accounts.logout")):
        return url_for("accounts.login")
    here = request.full_path if request.query_string else request.path
    return url_for("accounts.login", next=here) if here != "/" else url_for("accounts.login")


def init_app(app):
    app.jinja_env.globals.update(posted_at=posted_at, time_element=time_element,
                                 posted_by=posted_by, login_url=login_url)
