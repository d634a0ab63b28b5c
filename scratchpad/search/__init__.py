"""Search: the comments holding every word asked for, newest first, through
each engine's own full-text index (/search?q=)."""
from flask import Blueprint

from ..site.limits import limit_reads_in

bp = Blueprint("search", __name__)
limit_reads_in(bp)  # a search costs more than a page, and is never kept

from . import views  # noqa: E402,F401  (the views add their routes to bp)
from .schema import outside_the_models  # noqa: E402,F401


def init_app(app):
    app.register_blueprint(bp)
