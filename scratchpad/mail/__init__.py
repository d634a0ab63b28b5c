"""Email, optional: Flask-Mail sends through the SMTP server the MAIL_*
settings name, and ``flask mail test ADDRESS`` checks that it does. With no
mail server configured nothing depends on email."""
from ..extensions import mail
from . import cli
from .sending import is_enabled, missing_settings, public_url, send, send_in_background

__all__ = ["init_app", "is_enabled", "public_url", "send", "send_in_background"]


def init_app(app):
    mail.init_app(app)
    app.register_blueprint(cli.mail_cli)
    app.add_template_global(is_enabled, "mail_enabled")
    missing = missing_settings(app.config)
    if app.config["MAIL_SERVER"] and missing:
        app.logger.warning("Email is off: MAIL_SERVER is set, but %s %s not.",
                           " and ".join(missing), "is" if len(missing) == 1 else "are")
