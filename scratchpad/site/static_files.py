"""Static files (the site's own and Bootstrap's) under URLs that carry a
digest of their content, so browsers and proxies keep them for a year and
fetch them again only when they change."""
import functools
import hashlib

from flask import current_app, request
from werkzeug.security import safe_join

VERSION_ARGUMENT = "v"
ONE_YEAR = 365 * 24 * 60 * 60


def is_static_endpoint(endpoint):
    return endpoint == "static" or (endpoint or "").endswith(".static")


@functools.lru_cache(maxsize=512)
def file_digest(path):
    try:
        with open(path, "rb") as static_file:
            return hashlib.sha256(static_file.read()).hexdigest()[:16]
    except OSError:
        return None


def static_file_path(endpoint, filename):
    if endpoint == "static":
        folder = current_app.static_folder
    else:
        blueprint = current_app.blueprints.get(endpoint.rpartition(".")[0])
        folder = blueprint.static_folder if blueprint else None
    return safe_join(folder, filename) if folder else None


def add_content_digest(endpoint, values):
    """url_for('static', filename=…) gains ``?v=<digest of the file>``."""
    if not is_static_endpoint(endpoint) or "filename" not in values:
        return
    path = static_file_path(endpoint, values["filename"])
    digest = file_digest(path) if path else None
    if digest:
        values.setdefault(VERSION_ARGUMENT, digest)


def keep_versioned_files(response):
    """A file asked for under its current digest never changes at that URL."""
    if (response.status_code == 200 and is_static_endpoint(request.endpoint)
            and request.args.get(VERSION_ARGUMENT)):
        path = static_file_path(request.endpoint, request.view_args.get("filename", ""))
        if path and request.args[VERSION_ARGUMENT] == file_digest(path):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
    return response


def init_app(app):
    app.url_defaults(add_content_digest)
    app.after_request(keep_versioned_files)
