"""Accounts: logging in and out, the account page, first-run setup, the
administrators' users page and the ``flask users`` commands; and joining:
sign-up, invitations, email addresses and password reset."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import (admin, admin_registration, cli, closing, email_address,  # noqa: E402
               first_run, password_reset, registration, views)  # (they add their routes to bp)


def init_user_loading(app):
    """Runs before the other extensions' request hooks (see create_app)."""
    app.before_request(views.load_user_first)


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(cli.users_cli)
    first_run.init_app(app)
    registration.init_app(app)
