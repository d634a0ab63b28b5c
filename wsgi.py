"""The WSGI entry point: ``application`` for PythonAnywhere's WSGI file and
for gunicorn (``gunicorn wsgi:application``)."""
from scratchpad import create_app

application = create_app({"PRODUCTION": True})
