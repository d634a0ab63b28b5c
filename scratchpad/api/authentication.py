"""Who is calling the API: the holder of the personal access token in the
``Authorization: Bearer`` header, loaded by Flask-Login's request loader, so
that ``current_user`` is that user and the board's rules apply to them as on
its pages. Cookies never count (cookieless.py)."""
import functools

from flask import g
from flask_login import current_user
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from ..extensions import login_manager
from ..site.errors import database_unavailable
from . import API_PATH_PREFIX, bp, tokens
from .cookieless import WithoutCookies

REALM = "Scratchpad API"


def caller_from_token(request):
    """Flask-Login's request loader: the token's holder, for API requests
    only. Why there is none is kept for the 401 answer."""
    if request.blueprint != bp.name or database_unavailable():
        return None
    credentials = request.authorization
    if credentials is None or credentials.type != "bearer":
        g.api_token_problem = tokens.MISSING
        return None
    user, g.api_token_problem = tokens.holder(credentials.token or "")
    return user


def unauthorized(problem):
    challenge = {"realm": REALM}
    if problem != tokens.MISSING:
        challenge["error"] = "invalid_token"  # RFC 6750
    return Unauthorized(problem, www_authenticate=WWWAuthenticate("bearer", challenge))


def token_required(view):
    """Only a caller with a valid token gets to the view; anyone else gets
    401 with a ``WWW-Authenticate: Bearer`` challenge."""
    @functools.wraps(view)
    def with_token(*args, **kwargs):
        if not current_user.is_authenticated:
            raise unauthorized(g.get("api_token_problem", tokens.MISSING))
        return view(*args, **kwargs)
    return with_token


def init_app(app):
    login_manager.request_loader(caller_from_token)
    app.wsgi_app = WithoutCookies(app.wsgi_app, API_PATH_PREFIX)
