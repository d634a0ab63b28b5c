"""Whole links to hand out: made from PUBLIC_URL when it is set, so that a
forged Host header cannot change where they lead."""
from flask import current_app, has_request_context, url_for


def site_path(endpoint, **values):
    """The path of a page, in a request or outside one (a command)."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost",
                                       script_name=current_app.config["APPLICATION_ROOT"])
    return adapter.build(endpoint, values)


def public_link(endpoint, **values):
    """The link from PUBLIC_URL; without it, from the address of the current
    request (an administrator's own page), which is as far as that can be trusted."""
    public_url = current_app.config["PUBLIC_URL"]
    if public_url:
        return public_url.rstrip("/") + site_path(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
