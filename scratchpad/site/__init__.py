"""What every page shares: security headers, strict form reading, error pages,
logging, template helpers, compression, long-lived static files, database
timeouts, the health check, robots.txt and the icon, memory given back, and
the pages' language."""
from ..extensions import db
from . import (command_errors, compression, database_timeouts, errors, health, ids, languages,
               logs, memory,
               security, static_files, templating, translate, well_known)


def init_logging(app):
    logs.init_app(app)


def watch_database_queries(app):
    database_timeouts.watch_queries(db.engine, app.config["DATABASE_QUERY_TIMEOUT"])


def answer_database_failures_first(app):
    """Runs before every other request hook (see create_app): a database error
    met in front of the site is answered at once, not asked again."""
    app.before_request(errors.answer_what_failed_in_front)


def init_app(app):
    memory.return_large_blocks_to_the_system()
    ids.init_app(app)  # before any route is added
    # Registered first, so it runs after every other feature's after_request.
    compression.init_app(app)
    static_files.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    languages.init_app(app)
    templating.init_app(app)
    app.register_blueprint(translate.translate_cli)
    app.register_blueprint(health.bp)
    app.register_blueprint(well_known.bp)
