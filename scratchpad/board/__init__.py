"""The board: reading comments page by page and thread by thread, posting,
replying, editing and deleting them, their formatting, and the pages kept
for anonymous readers and for each logged-in reader."""
from flask import Blueprint

bp = Blueprint("board", __name__)

from . import cli, comments, page_cache, paging, personal_pages, shown, views  # noqa: E402  (views add their routes to bp)


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(cli.comments_cli)
    app.jinja_env.globals.update(may_edit=comments.may_edit)
    app.before_request(paging.redirect_to_the_pages_own_address)
    page_cache.init_app(app)
    personal_pages.init_app(app)
    shown.init_app(app)
