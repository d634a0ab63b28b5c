"""Scratchpad: a self-hosted, database-backed comment board."""
import os

from flask import Flask

from . import accounts, api, board, feed, mail, maintenance, moderation, search, site
from .config import load_config
from .extensions import bootstrap, csrf, db, limiter, login_manager

INSTANCE_PATH_VARIABLE = "SCRATCHPAD_INSTANCE_PATH"


def instance_path():
    """The instance folder (settings, secret key, SQLite database): by default
    ``instance/`` beside the package, or wherever the environment says."""
    configured = os.environ.get(INSTANCE_PATH_VARIABLE)
    return os.path.abspath(configured) if configured else None


def create_app(config=None):
    """The site. ``config`` overrides every other setting (see config.py)."""
    site.command_errors.install()
    app = Flask(__name__, instance_path=instance_path(),
                instance_relative_config=True)
    load_config(app, config)
    site.init_logging(app)

    db.init_app(app)
    with app.app_context():
        site.watch_database_queries(app)
    maintenance.init_migrations(app)
    login_manager.init_app(app)
    site.answer_database_failures_first(app)
    accounts.init_user_loading(app)  # before the limiter's hooks ask who the user is
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)

    site.init_app(app)
    mail.init_app(app)
    accounts.init_app(app)
    board.init_app(app)
    maintenance.init_app(app)
    moderation.init_app(app)
    feed.init_app(app)
    api.init_app(app)
    search.init_app(app)
    return app
