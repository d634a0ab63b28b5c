"""Users, by name: only what the board shows of them to anyone."""
from flask import abort

from ..accounts import service
from . import bp
from .authentication import token_required
from .limits import limited
from .representations import user_data


@bp.get("/users/<path:username>")
@limited
@token_required
def get_user(username):
    """The account with that name, ignoring case as logins do."""
    user = service.find_user(username) if service.could_be_username(username) else None
    if user is None:
        abort(404, description="There is no user with that name.")
    return user_data(user)
