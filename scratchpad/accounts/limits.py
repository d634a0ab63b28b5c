"""Rate limits on guessing passwords: failed logins per username and per
client address, and wrong current passwords on the account page."""
import hashlib

from flask import request

from ..extensions import limiter
from ..site.limits import client_address, is_anonymous, logged_in_user, retry_message, setting


def login_failed(response):
    return response.status_code == 401


def attempted_username():
    """The limiter key for the username being tried: case-folded, so that Bob
    and bob share one count, and hashed, so that any name fits in a key."""
    username = request.form.get("username", "").strip().casefold()
    return "username:" + hashlib.sha256(username.encode()).hexdigest()


def password_change_failed(response):
    return response.status_code == 400


TOO_MANY_LOGINS = retry_message("There have been too many failed attempts to log in.")

failed_logins_per_username = limiter.limit(
    setting("LOGIN_LIMITS_PER_USERNAME"), key_func=attempted_username, methods=["POST"],
    deduct_when=login_failed, error_message=TOO_MANY_LOGINS,
)
failed_logins_per_address = limiter.limit(
    setting("LOGIN_LIMITS_PER_ADDRESS"), key_func=client_address, methods=["POST"],
    deduct_when=login_failed, error_message=TOO_MANY_LOGINS,
)
wrong_current_passwords_per_user = limiter.limit(
    setting("PASSWORD_CHANGE_LIMITS_PER_USER"), key_func=logged_in_user, methods=["POST"],
    deduct_when=password_change_failed, exempt_when=is_anonymous,
    error_message=retry_message("There have been too many failed attempts to change your password."),
)
