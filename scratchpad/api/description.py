"""The API's OpenAPI 3.1 description: openapi.json, beside this module,
served as it is, to anyone."""
from importlib.resources import files

from flask import current_app

from . import bp

OPENAPI_DESCRIPTION = files(__package__).joinpath("openapi.json").read_bytes()


@bp.get("/openapi.json")
def openapi_description():
    response = current_app.response_class(OPENAPI_DESCRIPTION, mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
