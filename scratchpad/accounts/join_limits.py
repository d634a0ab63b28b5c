"""Rate limits on joining and getting back in: sign-ups and invitation uses
per client address, password reset requests per address and per account,
and verification mails per user."""
import hashlib

from flask import request
from flask_babel import lazy_gettext as _l

from ..extensions import limiter
from ..site.limits import client_address, is_anonymous, logged_in_user, retry_message, setting
from .emails import normalized_email


def requested_account():
    """The account a reset is asked for, by the address typed: hashed, so any
    text fits in a key, and the same whether or not an account has it."""
    address = normalized_email(request.form.get("email", ""))
    return "reset-for:" + hashlib.sha256(address.encode()).hexdigest()


sign_ups_per_address = limiter.limit(
    setting("SIGNUP_LIMITS_PER_ADDRESS"), key_func=client_address, methods=["POST"],
    error_message=retry_message(_l("There have been too many sign-ups from your address.")),
)
invitation_uses_per_address = limiter.limit(
    setting("INVITATION_LIMITS_PER_ADDRESS"), key_func=client_address, methods=["POST"],
    error_message=retry_message(_l("There have been too many attempts to use invitations "
                                   "from your address.")),
)
reset_requests_per_address = limiter.limit(
    setting("RESET_LIMITS_PER_ADDRESS"), key_func=client_address, methods=["POST"],
    error_message=retry_message(_l("There have been too many password reset requests "
                                   "from your address.")),
)
reset_requests_per_account = limiter.limit(
    setting("RESET_LIMITS_PER_ACCOUNT"), key_func=requested_account, methods=["POST"],
    error_message=retry_message(_l("There have been too many password reset requests "
                                   "for that address.")),
)
verification_mails_per_user = limiter.limit(
    setting("VERIFICATION_MAIL_LIMITS_PER_USER"), key_func=logged_in_user, methods=["POST"],
    exempt_when=is_anonymous,
    error_message=retry_message(_l("You have asked for too many verification mails.")),
)
