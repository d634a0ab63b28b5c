"""Files that browsers and crawlers ask for at fixed paths."""
from flask import Blueprint, current_app, send_from_directory

from ..extensions import csrf, limiter

bp = Blueprint("well_known", __name__)

# The board is meant to be read; pages that are about one visitor are not,
# nor are searches, each a page of comments the board already shows.
ROBOTS_TXT = """\
User-agent: *
Disallow: /login/
Disallow: /logout/
Disallow: /account/
Disallow: /admin/
Disallow: /setup/
Disallow: /search
"""
ONE_DAY = 24 * 60 * 60


@bp.route("/robots.txt")
@limiter.exempt
@csrf.exempt
def robots_txt():
    return ROBOTS_TXT, 200, {"Content-Type": "text/plain; charset=utf-8",
                             "Cache-Control": f"public, max-age={ONE_DAY}"}


@bp.route("/favicon.ico")
@limiter.exempt
@csrf.exempt
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=ONE_DAY)
