"""Readable error pages that keep the navigation bar."""
from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

CSRF_FAILED = ("The form could not be accepted because its security token is missing or "
               "has expired. Go back, reload the page and try again.")
SERVER_ERROR = ("Something went wrong on our side. It has been logged; "
                "please try again in a little while.")


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


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_error)
