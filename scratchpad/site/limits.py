"""What every rate limit shares: its setting read per request, a 429 message
that says how long to wait, the keys it counts by, and that reading is never
limited."""
import math
import time

from flask import current_app, request
from flask_babel import gettext, ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter


def setting(name):
    return lambda: current_app.config[name]


def retry_message(what):
    """The 429 page's text, saying how long to wait for the limit just hit.
    ``what`` made with lazy_gettext is said in the page's language; a plain
    string (the JSON API's, read by developers) is kept in English."""
    def message():
        breached = limiter.current_limit
        seconds = max(1, math.ceil(breached.reset_at - time.time())) if breached else None
        if isinstance(what, str):
            wait = f"in {seconds} second{'s' if seconds != 1 else ''}" if seconds else "later"
            return f"{what} Please try again {wait}."
        if seconds:
            wait = ngettext("Please try again in %(num)d second.",
                            "Please try again in %(num)d seconds.", seconds)
        else:
            wait = gettext("Please try again later.")
        return f"{what} {wait}"
    return message


def client_address():
    return "address:" + (get_remote_address() or "unknown")


def logged_in_user():
    return f"user:{current_user.id}"


def is_anonymous():
    return not current_user.is_authenticated


# Safe methods change nothing.
READS = frozenset({"GET", "HEAD", "OPTIONS"})
# Flask-Limiter's settings of limits on every request, reads included, which
# an operator may set.
LIMITS_ON_EVERY_REQUEST = ("RATELIMIT_APPLICATION", "RATELIMIT_DEFAULT", "RATELIMIT_META")


def limits_every_request(config):
    """Whether the operator has set limits on every request, reads included."""
    return any(config.get(name) for name in LIMITS_ON_EVERY_REQUEST)


# Blueprints whose own limits count reads too.
blueprints_limiting_reads = set()


def limit_reads_in(blueprint):
    """Have the limits on ``blueprint``'s views count reads as well as changes."""
    blueprints_limiting_reads.add(blueprint.name)


@limiter.request_filter
def is_an_unlimited_read():
    """The site's pages limit only changes (methods=["POST"]): unless the
    operator has set limits on every request, a read there skips the
    limiter's work altogether, which a board page would otherwise pay for."""
    if request.method not in READS or request.blueprint in blueprints_limiting_reads:
        return False
    return not limits_every_request(current_app.config)
