"""Moderation: reports of comments, hiding and restoring them, holding the
first comments of new accounts, and the administrators' comment queue."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)
queue_bp = Blueprint("comment_queue", __name__, url_prefix="/admin/comments")

from . import queue, reports  # noqa: E402  (they add their routes to the blueprints)


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(queue_bp)
