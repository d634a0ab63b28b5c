"""Readable error pages that keep the navigation bar."""
from flask import current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from .extensions import db, login_manager

CSRF_FAILED = ("The form could not be accepted because its security token is missing or "
               "has expired. Go back, reload the page and try again.")
SERVER_ERROR = ("Something went wrong on our side. It has been logged; "
                "please try again in a little while.")
DATABASE_UNAVAILABLE = ("The database is not answering at the moment, so nothing could be "
                        "read or saved. Please try again in a little while.")
DATABASE_RETRY_AFTER_SECONDS = 30


def render_error(error, description=None):
    page = render_template("errors/error.html", code=error.code, name=error.name,
                           description=description or error.description)
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
    db.session.rollback()
    # The page must not touch the database again: the user who would be shown
    # in the navigation bar is loaded from it, and so are expired attributes.
    login_manager._update_request_context_with_user()
    return render_error(ServiceUnavailable(retry_after=DATABASE_RETRY_AFTER_SECONDS),
                        DATABASE_UNAVAILABLE)


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_error)
    # Drivers report a refused or dropped connection as one or the other.
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
