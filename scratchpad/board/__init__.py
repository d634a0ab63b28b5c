"""The board: reading comments page by page, posting and deleting them, and
the page cache that serves anonymous readers."""
from flask import Blueprint

bp = Blueprint("board", __name__)

from . import page_cache, views  # noqa: E402  (views add their routes to bp)


def init_app(app):
    app.register_blueprint(bp)
    page_cache.init_app(app)
