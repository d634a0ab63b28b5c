"""Scratchpad: a self-hosted, database-backed comment board."""
from flask import Flask

from . import security
from .config import load_config
from .extensions import bootstrap, csrf, db, limiter, login_manager, migrate
from .logging_setup import configure_logging


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    configure_logging(app)

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)

    from . import admin, auth, cache, cli, comments, errors, first_run, health, templating

    app.register_blueprint(auth.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(first_run.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(cli.users_cli)
    errors.register_error_handlers(app)
    templating.register_template_helpers(app)
    security.init_app(app)
    cache.init_app(app)
    return app
