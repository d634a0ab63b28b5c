"""Readable error pages that keep the navigation bar."""
from flask import current_app, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..extensions import db

CSRF_FAILED = ("The form could not be accepted because its security token is missing or "
               "has expired. Go back, reload the page and try again.")
SERVER_ERROR = ("Something went wrong on our side. It has been logged; "
                "please try again in a little while.")
DATABASE_UNAVAILABLE = ("The database is not answering at the moment, so nothing could be "
                        "read or saved. Please try again in a little while.")
DATABASE_RETRY_AFTER_SECONDS = 30


def database_unavailable():
    """Whether this request has found the database unavailable: from then on
    nothing may ask it anything, not even who the user is."""
    return g.get("database_unavailable", False)


def render_error(error, description=None, **context):
    page = render_template("errors/error.html", code=error.code, name=error.name,
                           description=description or error.description, **context)
    # 405 names the allowed methods, 429 says when to retry.
    return page, error.code, error.get_headers()


def handle_http_error(error):
    if isinstance(error, CSRFError):
        return render_error(error, CSRF_FAILED)
    if isinstance(error, InternalServerError):
        # Flask has already logged the traceback of the original exception.
        return render_error(error, SERVER_ERROR)
    return render_error(error)


def handle_database_unavailable(error):
    """A lost or refused database connection: 503, and a session ready for the
    next request (the pool replaces the dead connections on their next use)."""
    current_app.logger.warning("The database is unavailable: %s", error.orig or error)
    g.database_unavailable = True
    db.session.rollback()
    # The page shows no account links: the user they name would be loaded
    # from the database, and so would any attribute the rollback expired.
    return render_error(ServiceUnavailable(retry_after=DATABASE_RETRY_AFTER_SECONDS),
                        DATABASE_UNAVAILABLE, database_unavailable=True)


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    # Drivers report a refused or dropped connection as one or the other.
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
