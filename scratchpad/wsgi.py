"""The production entry point: ``scratchpad.wsgi:application``, for gunicorn
(``gunicorn -c python:scratchpad.gunicorn_config scratchpad.wsgi:application``)
and for PythonAnywhere's WSGI file. It works from any folder, from a checkout
or from the installed package alike."""
from . import create_app
from .site.schema_state import log_schema_problem_at_start

application = create_app({"PRODUCTION": True})
log_schema_problem_at_start(application)
