"""The API's rate limits: requests per user, whichever of their tokens they
use; requests with a missing or wrong token per client address (a valid token
is never refused by it); and, for posting, the board's own count of comments
per user (board/views.py), so that the board and the API count together."""
from flask_login import current_user

from ..board.views import comments_per_user
from ..extensions import limiter
from ..site.limits import client_address, is_anonymous, logged_in_user, retry_message, setting

requests_per_user = limiter.shared_limit(
    setting("API_LIMITS_PER_USER"), scope="api", key_func=logged_in_user,
    exempt_when=is_anonymous,
    error_message=retry_message("You have made too many API requests in a short time."),
)
failed_authentications_per_address = limiter.shared_limit(
    setting("API_FAILED_AUTHENTICATION_LIMITS_PER_ADDRESS"), scope="api-authentication",
    key_func=client_address, deduct_when=lambda response: response.status_code == 401,
    exempt_when=lambda: current_user.is_authenticated,
    error_message=retry_message("There have been too many requests with a missing or "
                                "wrong access token."),
)


def limited(view):
    """Every endpoint that needs a token."""
    return failed_authentications_per_address(requests_per_user(view))


def limited_posting(view):
    return limited(comments_per_user(view))
