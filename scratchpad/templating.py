"""How comments' times and authors are shown."""
from markupsafe import Markup, escape

POSTED_FORMAT = "%A, %d %B %Y at %H:%M"


def posted_at(comment):
    """``Friday, 01 September 2017 at 17:44`` in a <time> element (UTC), or
    ``at an unknown time`` for comments from before timestamps existed."""
    if comment.posted is None:
        return Markup("at an unknown time")
    iso = comment.posted.strftime("%Y-%m-%dT%H:%M:%SZ")
    shown = comment.posted.strftime(POSTED_FORMAT)
    return Markup(f'<time datetime="{iso}" title="{escape(shown)} UTC">{escape(shown)}</time>')


def posted_by(comment):
    return comment.commenter.username if comment.commenter else "Anonymous Coward"


def register_template_helpers(app):
    app.jinja_env.globals.update(posted_at=posted_at, posted_by=posted_by)
