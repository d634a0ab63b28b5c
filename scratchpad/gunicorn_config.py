"""gunicorn settings for Scratchpad, as a module of the package, so that an
installed package serves from any folder:

    gunicorn -c python:scratchpad.gunicorn_config scratchpad.wsgi:application

(in a checkout, ``gunicorn -c gunicorn.conf.py wsgi:application`` is the same).

GUNICORN_BIND     where to listen (default 127.0.0.1:8000; a reverse proxy in front)
GUNICORN_WORKERS  worker processes (default 2 per CPU core, plus one)
GUNICORN_TIMEOUT  seconds a request may take before its worker is restarted (default 30)
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
# Synchronous workers: a request is short and holds one database connection;
# slow clients are the reverse proxy's business.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30

# gunicorn's own log lines go to standard error, where a process manager or
# container runtime collects them; the app writes its own log there already,
# one line for every 4xx and 5xx answer, with any token in the path left out.
# gunicorn's access log stays off: its lines would carry whole paths and query
# strings (password reset links, invitations, searches).
logconfig_dict = {
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}

# Several servers may run on one host (one per site or port): gunicorn's
# runtime control socket would be one path shared by all of them.
control_socket_disable = True
