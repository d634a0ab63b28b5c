"""Atom feeds: the newest comments on the board, and one for each thread."""
from flask import Blueprint

bp = Blueprint("feed", __name__)

from . import freshness, views  # noqa: E402  (views add their routes to bp)


def init_app(app):
    app.register_blueprint(bp)
    freshness.init_app(app)
