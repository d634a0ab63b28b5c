"""Sending the site's mails: plain text from a template, links made from
PUBLIC_URL, and a connection that gives up after MAIL_TIMEOUT seconds."""
import smtplib
import threading

from flask import copy_current_request_context, current_app, render_template
from flask_mail import Connection, Message

from ..site.links import public_link

REQUIRED_SETTINGS = ("MAIL_SERVER", "MAIL_DEFAULT_SENDER", "PUBLIC_URL")


def missing_settings(config):
    return [name for name in REQUIRED_SETTINGS if not config.get(name)]


def is_enabled():
    return not missing_settings(current_app.config)


def public_url(endpoint, **values):
    """An absolute link for a mail, from PUBLIC_URL (which email needs)."""
    if not current_app.config["PUBLIC_URL"]:
        raise RuntimeError("links in mails are made from PUBLIC_URL, which is not set")
    return public_link(endpoint, **values)


class TimedConnection(Connection):
    """Flask-Mail's connection, with a timeout: a mail server that does not
    answer must not hold a page (or a worker) for ever."""

    def configure_host(self):
        config = current_app.config
        server_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        host = server_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                            timeout=config["MAIL_TIMEOUT"])
        if config["MAIL_USE_TLS"]:
            host.starttls()
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


def connect():
    return TimedConnection(current_app.extensions["mail"])


def message(to, subject, template, **context):
    return Message(subject=subject, recipients=[to],
                   body=render_template(f"mail/{template}.txt", **context))


def deliver(mail, template):
    """Hand a mail to the server: whether it took it. A failure is logged
    (without the mail's text, which may hold a one-time link)."""
    try:
        with connect() as connection:
            connection.send(mail)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("Could not send the %r mail: %s", template, error)
        return False
    return True


def send(to, subject, template, **context):
    """Send one mail now; whether the server took it."""
    return deliver(message(to, subject, template, **context), template)


def send_in_background(to, subject, template, **context):
    """Send one mail from a thread of its own: the page answers without
    waiting for the mail server, so it takes as long whether or not a mail
    goes out."""
    mail = message(to, subject, template, **context)
    worker = copy_current_request_context(deliver)
    threading.Thread(target=worker, args=(mail, template), daemon=True).start()
