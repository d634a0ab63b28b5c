"""Rate limits on guessing passwords: login attempts per username, failed
logins per client address, and wrong current passwords on the account page
and the re-authentication page."""
import hashlib
import math
import time

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from limits import parse_many
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from ..extensions import limiter
from ..site.limits import client_address, is_anonymous, logged_in_user, retry_message, setting
from .usernames import username_key

TOO_MANY_LOGINS = _l("There have been too many failed attempts to log in.")
STORAGE_FAILED = _l("Logging in is not possible for a moment. Please try again in a few seconds.")


def login_failed(response):
    return response.status_code == 401


def attempted_username(username=None):
    """The limiter key for the username being tried: the name as accounts
    compare it (so that "Bob" and "bob" share one count, being one account),
    hashed, so that any name fits in a key."""
    if username is None:
        username = request.form.get("username", "")
    key = username_key(username.strip())
    return "username:" + hashlib.sha256(key.encode()).hexdigest()


def username_limit_keys(username):
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "scratchpad"
    return prefix, "login-attempts", attempted_username(username)


def count_login_attempt(username):
    """Count one attempt to log in as ``username``, before its password is
    checked; raise 429 when the name's limit is already used up.

    Counting first, in one atomic step of the limit storage (Redis, or each
    process's memory), means no number of simultaneous attempts gets more
    than the limit through to the password check. A successful login then
    gives the name a fresh count (see forget_login_attempts)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    strategy = limiter.limiter  # the in-memory fallback while the storage is unreachable
    for limit in parse_many(current_app.config["LOGIN_LIMITS_PER_USERNAME"]):
        try:
            allowed = strategy.hit(limit, *username_limit_keys(username))
        except Exception as error:  # the storage failed since this request's first limit
            current_app.logger.warning("Rate limit storage failed: %s", error)
            raise ServiceUnavailable(STORAGE_FAILED, retry_after=5) from None
        if not allowed:
            reset_at = strategy.get_window_stats(limit, *username_limit_keys(username)).reset_time
            seconds = max(1, math.ceil(reset_at - time.time()))
            when = ngettext("Please try again in %(num)d second.",
                            "Please try again in %(num)d seconds.", seconds)
            raise TooManyRequests(f"{TOO_MANY_LOGINS} {when}", retry_after=seconds)


def forget_login_attempts(username):
    """After a successful login: the account's owner is back, and earlier
    attempts at the name no longer count against it."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    for limit in parse_many(current_app.config["LOGIN_LIMITS_PER_USERNAME"]):
        limiter.limiter.clear(limit, *username_limit_keys(username))


def password_check_failed(response):
    return response.status_code in (400, 401)


failed_logins_per_address = limiter.limit(
    setting("LOGIN_LIMITS_PER_ADDRESS"), key_func=client_address, methods=["POST"],
    deduct_when=login_failed, error_message=retry_message(TOO_MANY_LOGINS),
)
# One count for the account page and the re-authentication page: both take
# the current password.
wrong_current_passwords_per_user = limiter.shared_limit(
    setting("PASSWORD_CHANGE_LIMITS_PER_USER"), scope="wrong-current-password",
    key_func=logged_in_user, methods=["POST"],
    deduct_when=password_check_failed, exempt_when=is_anonymous,
    error_message=retry_message(
        _l("There have been too many failed attempts to change your password or confirm it.")),
)
