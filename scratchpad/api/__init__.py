"""The JSON API under /api/v1/: the board's comments and its users' public
names for scripts and apps, authenticated by personal access tokens
(``Authorization: Bearer …``), never by cookies; its OpenAPI description;
and the account page's list of tokens, where they are made and revoked."""
from flask import Blueprint

from ..extensions import csrf
from ..site.limits import limit_reads_in

API_PATH_PREFIX = "/api/"
bp = Blueprint("api", __name__, url_prefix="/api/v1")
limit_reads_in(bp)  # every request counts against the caller's API limit
tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")

from . import (authentication, comments, description, errors, token_views,  # noqa: E402
               tokens, users)  # (they add their routes to the blueprints)


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(tokens_bp)
    # Cookies never reach the API (authentication.py), so no request there
    # can be forged by another site: a form token has nothing to protect.
    csrf.exempt(bp)
    authentication.init_app(app)
    errors.init_app(app)
    app.jinja_env.globals.update(api_tokens_of=tokens.tokens_of)
