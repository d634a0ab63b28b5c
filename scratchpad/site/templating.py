"""Helpers for the templates: how comments' times and authors are shown, and
the way to the login page."""
from flask import request, url_for
from markupsafe import Markup, escape

POSTED_FORMAT = "%A, %d %B %Y at %H:%M"
ANONYMOUS_AUTHOR = "Anonymous Coward"  # for comments from before commenters existed


def time_element(moment):
    """``Friday, 01 September 2017 at 17:44`` in a <time> element (UTC)."""
    iso = moment.isoformat(timespec="seconds") + "Z"
    shown = escape(moment.strftime(POSTED_FORMAT))
    return Markup(f'<time datetime="{iso}" title="{shown} UTC">{shown}</time>')


def posted_at(comment):
    """When the comment was posted, or ``at an unknown time`` for comments
    from before timestamps existed."""
    if comment.posted is None:
        return Markup("at an unknown time")
    return time_element(comment.posted)


def posted_by(comment):
    return comment.commenter.username if comment.commenter else ANONYMOUS_AUTHOR


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
