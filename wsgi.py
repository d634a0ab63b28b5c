"""The WSGI entry point of a checkout: ``application`` for PythonAnywhere's WSGI
file and for gunicorn (``gunicorn wsgi:application``); the package's own,
scratchpad/wsgi.py."""
from scratchpad.wsgi import application  # noqa: F401
