"""gunicorn settings for a checkout: ``.venv/bin/gunicorn -c gunicorn.conf.py wsgi:application``.
They are the package's own, scratchpad/gunicorn_config.py, which says what each one is."""
from scratchpad.gunicorn_config import *  # noqa: F401,F403
