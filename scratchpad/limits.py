"""Rate limits: failed logins per username and per client address, and
comments per user. The limits themselves are settings."""
import hashlib
import math
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .extensions import limiter


def setting(name):
    return lambda: current_app.config[name]


def retry_message(what):
    """The 429 page's text, saying how long to wait for the limit just hit."""
    def message():
        breached = limiter.current_limit
        seconds = max(1, math.ceil(breached.reset_at - time.time())) if breached else None
        wait = f"in {seconds} second{'s' if seconds != 1 else ''}" if seconds else "later"
        return f"{what} Please try again {wait}."
    return message


def login_failed(response):
    return response.status_code == 401


def attempted_username():
    """The limiter key for the username being tried: case-folded, so that Bob
    and bob share one count, and hashed, so that any name fits in a key."""
    username = request.form.get("username", "").strip().casefold()
    return "username:" + hashlib.sha256(username.encode()).hexdigest()


def client_address():
    return "address:" + (get_remote_address() or "unknown")


def password_change_failed(response):
    return response.status_code == 400


def poster():
    return f"user:{current_user.id}"


def is_anonymous():
    return not current_user.is_authenticated


TOO_MANY_LOGINS = retry_message("There have been too many failed attempts to log in.")

failed_logins_per_username = limiter.limit(
    setting("LOGIN_LIMITS_PER_USERNAME"), key_func=attempted_username, methods=["POST"],
    deduct_when=login_failed, error_message=TOO_MANY_LOGINS,
)
failed_logins_per_address = limiter.limit(
    setting("LOGIN_LIMITS_PER_ADDRESS"), key_func=client_address, methods=["POST"],
    deduct_when=login_failed, error_message=TOO_MANY_LOGINS,
)
comments_per_user = limiter.limit(
    setting("COMMENT_LIMITS_PER_USER"), key_func=poster, methods=["POST"],
    exempt_when=is_anonymous,
    error_message=retry_message("You have posted too many comments in a short time."),
)
wrong_current_passwords_per_user = limiter.limit(
    setting("PASSWORD_CHANGE_LIMITS_PER_USER"), key_func=poster, methods=["POST"],
    deduct_when=password_change_failed, exempt_when=is_anonymous,
    error_message=retry_message("There have been too many failed attempts to change your password."),
)
