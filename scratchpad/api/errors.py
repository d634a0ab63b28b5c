"""The API's errors are JSON, ``{"error": "not_found", "message": "…"}``, with
the status and the headers the error carries (Allow, Retry-After,
WWW-Authenticate), never the site's HTML pages: also for paths under /api/
that match no route, for database outages (503) and for rate limits (429)."""
from flask import jsonify

from ..site.errors import answer_errors_under
from . import API_PATH_PREFIX


def error_name(error):
    """``Not Found`` -> ``not_found``."""
    return error.name.lower().replace(" ", "_").replace("-", "_")


def error_answer(error, message):
    response = jsonify(error=error_name(error), message=message)
    response.status_code = error.code
    # As every answer of the API (representations.py), also for paths it has not.
    response.headers["Cache-Control"] = "no-store"
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers.add(name, value)
    return response


def init_app(app):
    answer_errors_under(app, API_PATH_PREFIX, error_answer)
