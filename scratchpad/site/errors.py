"""Readable error pages that keep the navigation bar."""
import sys

from flask import current_app, g, render_template, request
from flask_babel import force_locale, lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, PendingRollbackError, SQLAlchemyError
from werkzeug.exceptions import (HTTPException, InternalServerError, ServiceUnavailable,
                                 default_exceptions)

from ..extensions import db
from . import database_problems, schema_state
from .languages import SOURCE_LANGUAGE

CSRF_FAILED = _l("The form could not be accepted because its security token is missing or "
                 "has expired. Go back, reload the page and try again.")
OVER_PLAIN_HTTP = _l("This site works only over HTTPS, and this page was opened over plain "
                     "http, where your browser keeps none of its cookies. Open the site again "
                     "with an address that starts with https://.")
OVER_PLAIN_HTTP_LOG = (
    "A form came over plain http, where browsers keep none of the site's cookies (they are "
    "Secure, for HTTPS only): serve the site over HTTPS (on PythonAnywhere, turn on Force HTTPS "
    "on the Web tab); behind a proxy that ends TLS, have it send X-Forwarded-Proto and set "
    "SCRATCHPAD_TRUSTED_PROXIES")
SERVER_ERROR = _l("Something went wrong on our side. It has been logged; "
                  "please try again in a little while.")
DATABASE_RETRY_AFTER_SECONDS = 30

# Each error page's title, and what it says when the error brings no words of
# its own (Werkzeug's, in English, are these).
ERROR_NAMES = {
    400: _l("Bad Request"),
    401: _l("Unauthorized"),
    403: _l("Forbidden"),
    404: _l("Not Found"),
    405: _l("Method Not Allowed"),
    413: _l("Request Entity Too Large"),
    415: _l("Unsupported Media Type"),
    429: _l("Too Many Requests"),
    500: _l("Internal Server Error"),
    503: _l("Service Unavailable"),
}
DEFAULT_DESCRIPTIONS = {
    400: _l("The browser (or proxy) sent a request that this server could not understand."),
    401: _l("The server could not verify that you are authorized to access the URL requested. "
            "You either supplied the wrong credentials (e.g. a bad password), or your browser "
            "doesn't understand how to supply the credentials required."),
    403: _l("You don't have the permission to access the requested resource. It is either "
            "read-protected or not readable by the server."),
    404: _l("The requested URL was not found on the server. If you entered the URL manually "
            "please check your spelling and try again."),
    405: _l("The method is not allowed for the requested URL."),
    413: _l("The data value transmitted exceeds the capacity limit."),
    415: _l("The server does not support the media type transmitted in the request."),
    429: _l("This user has exceeded an allotted request count. Try again later."),
    500: _l("The server encountered an internal error and was unable to complete your "
            "request. Either the server is overloaded or there is an error in the application."),
    503: _l("The server is temporarily unable to service your request due to maintenance "
            "downtime or capacity problems. Please try again later."),
}


# Set in the WSGI environ by what runs in front of the site (the board's front
# door) when the database has already failed it for this request: the site
# answers with its error page at once rather than wait for the database again.
DATABASE_FAILED_IN_FRONT = "scratchpad.database_failed_in_front"


def answer_what_failed_in_front():
    error = request.environ.get(DATABASE_FAILED_IN_FRONT)
    if error is not None:
        raise error


def database_unavailable():
    """Whether this request has found the database unavailable: from then on
    nothing may ask it anything, not even who the user is."""
    return g.get("database_unavailable", False)


def answer_errors_under(app, path_prefix, answer):
    """Errors of requests whose path starts with ``path_prefix`` are answered
    by ``answer(error, description)`` instead of the styled page (the JSON
    API's errors are JSON, even for a path that matches no route)."""
    app.extensions.setdefault("scratchpad_error_answers", {})[path_prefix] = answer


def page_description(error, description):
    """What the page says: the words given, else the error's own, or for
    Werkzeug's standard words their translation."""
    if description:
        return str(description)
    standard = default_exceptions.get(error.code)
    if standard is not None and error.description == standard.description:
        return str(DEFAULT_DESCRIPTIONS.get(error.code, error.description))
    return str(error.description)


def render_error(error, description=None, **context):
    for path_prefix, answer in current_app.extensions.get("scratchpad_error_answers", {}).items():
        if request.path.startswith(path_prefix):
            # Read by developers: in English, whatever the request's language.
            with force_locale(SOURCE_LANGUAGE):
                return answer(error, str(description or error.description))
    page = render_template("errors/error.html", code=error.code,
                           name=str(ERROR_NAMES.get(error.code, error.name)),
                           description=page_description(error, description), **context)
    # 405 names the allowed methods, 429 says when to retry.
    return page, error.code, error.get_headers()


def came_over_plain_http_without_its_cookies():
    """A site whose cookies are Secure, asked over http by a browser that has
    therefore kept no session cookie: reloading would never help."""
    config = current_app.config
    return (config["SESSION_COOKIE_SECURE"] and not request.is_secure
            and config["SESSION_COOKIE_NAME"] not in request.cookies)


def handle_http_error(error):
    if isinstance(error, CSRFError):
        if came_over_plain_http_without_its_cookies():
            current_app.logger.warning(OVER_PLAIN_HTTP_LOG)
            return render_error(error, OVER_PLAIN_HTTP)
        return render_error(error, CSRF_FAILED)
    if isinstance(error, InternalServerError):
        if isinstance(error.original_exception, (DBAPIError, PendingRollbackError)):
            # Raised after the view (by an after_request function): the same
            # page as a database error anywhere else, not a second failure.
            return handle_database_error(error.original_exception)
        # Flask has already logged the traceback of the original exception.
        return render_error(error, SERVER_ERROR)
    return render_error(error)


def handle_database_error(error):
    """A database error: a 503 page saying what is wrong when the database is
    unreachable, full or read-only (database_problems.py), a 500 page for
    anything else; either way a session ready for the next request (the
    pool replaces dead connections on their next use)."""
    problem = database_problems.diagnose(error)
    g.database_unavailable = True
    try:
        db.session.rollback()
    except SQLAlchemyError:
        # The connection is gone: drop it rather than fail a second time.
        db.session().invalidate()
    if database_problems.names_a_missing_table_or_column(error):
        schema_problem = schema_state.current_schema_problem()
        if schema_problem:
            current_app.logger.error("%s.", schema_problem)
            return render_error(ServiceUnavailable(retry_after=DATABASE_RETRY_AFTER_SECONDS),
                                database_problems.SCHEMA_BEING_UPDATED,
                                database_unavailable=True)
    if problem is None:
        current_app.log_exception(sys.exc_info())
        return render_error(InternalServerError(), SERVER_ERROR, database_unavailable=True)
    current_app.logger.warning("%s: %s", problem.log_message, database_problems.cause(error))
    # The page shows no account links: the user they name would be loaded
    # from the database, and so would any attribute the rollback expired.
    return render_error(ServiceUnavailable(retry_after=DATABASE_RETRY_AFTER_SECONDS),
                        problem.visitor_message, database_unavailable=True)


def end_database_session(exception):
    """The request's session ends even when its connection has died under it
    (a rollback that raises here would become a bare 500 after the page was
    made, and leave a broken session to the thread's next request)."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        current_app.logger.warning("Dropped a database session that could not be closed: %s",
                                   database_problems.cause(error))
        db.session().invalidate()
        db.session.remove()


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    # Drivers report a lost connection as OperationalError or InterfaceError; a
    # full or read-only database may come as another DBAPIError; a session
    # left by a failed flush raises PendingRollbackError.
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(PendingRollbackError, handle_database_error)
    # Runs before Flask-SQLAlchemy's own teardown, which then finds nothing to do.
    app.teardown_appcontext(end_database_session)
