"""The bare Flask app the board is measured against: one route, no database,
no templates, served with the same gunicorn settings."""
from flask import Flask

application = Flask(__name__)


@application.get("/")
def hello():
    return "Hello, World!"
