"""Logs go to standard error with a UTC timestamp; every 4xx and 5xx answer is
logged with its method, path and status."""
import logging
import sys
import time

from flask import current_app, request
from flask.logging import default_handler

from ..extensions import limiter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when the record is logged, so a
    replaced stream (a test's capture, a server's redirection) is honoured."""

    def __init__(self):
        super().__init__()
        formatter = logging.Formatter(LOG_FORMAT, datefmt="%Y-%m-%dT%H:%M:%SZ")
        formatter.converter = time.gmtime
        self.setFormatter(formatter)

    def emit(self, record):
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def logged_path():
    """The request's path, with any token in it left out: a link's token is a secret."""
    token = (request.view_args or {}).get("token")
    return request.path.replace(token, "[token]") if token else request.path


def log_error_response(response):
    if response.status_code >= 400:
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        current_app.logger.log(level, "%s %s %s", request.method, logged_path(),
                               response.status_code)
    return response


def init_app(app):
    app.logger.removeHandler(default_handler)
    # Flask-Limiter's own log says when the limit storage (Redis) becomes
    # unreachable, at WARNING, once per outage, and when it is back, at INFO.
    for logger in (app.logger, limiter.logger):
        logger.setLevel(app.config["LOG_LEVEL"])
        if not any(isinstance(handler, StderrHandler) for handler in logger.handlers):
            logger.addHandler(StderrHandler())
    app.after_request(log_error_response)
