"""Whether a reader's copy of a feed is still current, asked before the feed
is written. The ETag is made of the board's version (board/page_cache.py) and
the Last-Modified is the time the board last changed, both read in one small
statement; a request naming either as current is answered ``304 Not
Modified`` without writing anything. HTTP dates name whole seconds, so a
Last-Modified is sent only once its second is over: a later change cannot
then share it. Feeds may be kept as the anonymous board pages are: by
browsers, asking again each time, and for SHARED_CACHE_SECONDS by a proxy or
CDN in front.

A feed's titles are in the reader's language, so the ETag names the language
too (and every answer says it varies by Accept-Language: site/languages.py).

Without the page cache the board keeps no version: each feed is then written
and its ETag is a digest of it."""
import hashlib
import os
from datetime import timezone

import sqlalchemy as sa
from flask import current_app, request
from werkzeug.http import is_resource_modified

from ..board.page_cache import allow_shared_caching, keeps_pages
from ..extensions import db
from ..models import BoardVersion, utc_now
from ..site.languages import TRANSLATIONS_DIRECTORY, page_language
from .atom import CONTENT_TYPE
from .selection import FEED_SIZE

BOARD_CHANGE = sa.select(BoardVersion.version, BoardVersion.changed_at)


def feed_fingerprint(app):
    """What else the feeds depend on: the code that writes them, the
    translations of their titles, the size of a feed and the site's public
    address. The same in every process of a site."""
    digest = hashlib.sha256(f"{FEED_SIZE} {app.config['PUBLIC_URL']}".encode())
    package = os.path.dirname(__file__)
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            with open(os.path.join(package, name), "rb") as source:
                digest.update(source.read())
    for directory, subdirectories, files in sorted(os.walk(TRANSLATIONS_DIRECTORY)):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith(".mo"):
                path = os.path.join(directory, name)
                digest.update(os.path.relpath(path, TRANSLATIONS_DIRECTORY).encode())
                with open(path, "rb") as catalogue:
                    digest.update(catalogue.read())
    return digest.hexdigest()[:12]


def whole_second(moment):
    return moment.replace(microsecond=0)


def feed_response(body=b""):
    return allow_shared_caching(current_app.response_class(body, content_type=CONTENT_TYPE))


def conditional_feed(write):
    """The feed ``write()`` makes, or 304 when the reader's copy is current."""
    if not keeps_pages():
        response = feed_response(write())
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32], weak=True)
        return response.make_conditional(request)
    version, changed_at = db.session.connection().execute(BOARD_CHANGE).one()
    response = feed_response()
    fingerprint = current_app.extensions["scratchpad_feed_fingerprint"]
    response.set_etag(f"feed-{fingerprint}-{page_language()}-{version}", weak=True)
    if changed_at is not None and whole_second(changed_at) < whole_second(utc_now()):
        response.last_modified = changed_at.replace(tzinfo=timezone.utc)
    if not is_resource_modified(request.environ, etag=response.headers["ETag"],
                                last_modified=response.last_modified):
        response.status_code = 304
        return response
    response.set_data(write())
    return response


def init_app(app):
    app.extensions["scratchpad_feed_fingerprint"] = feed_fingerprint(app)
