"""What every page shares: security headers, strict form reading, error pages,
logging, template helpers, the health check, robots.txt and the icon."""
from . import errors, health, ids, logs, security, templating, well_known


def init_logging(app):
    logs.init_app(app)


def init_app(app):
    ids.init_app(app)  # before any route is added
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(well_known.bp)
