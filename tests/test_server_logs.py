"""What gunicorn with the repository's gunicorn.conf.py writes to its log, as
an operator reads it: the site's own lines, with tokens left out, and no line
carrying a link's token or a query string, from any of its processes."""
import os
import secrets
import urllib.error
import urllib.request

import pytest

from support.site_processes import GunicornServer

pytestmark = pytest.mark.slow

TOKEN = secrets.token_urlsafe(32)
SECRET_WORDS = "my+secret+search+words"
PATHS = [f"/reset-password/{TOKEN}", f"/signup/{TOKEN}", f"/setup/{TOKEN}",
         f"/verify-email/{TOKEN}", f"/search?q={SECRET_WORDS}", f"/?utm_source={TOKEN}",
         f"/no/such/page?{TOKEN}"]


def test_gunicorn_logs_no_token_and_no_query_string(database, tmp_path):
    environment = {**os.environ, "DATABASE_URL": database.url,
                   "SECRET_KEY": "server log test key, long enough for production"}
    server = GunicornServer("wsgi:application", environment, tmp_path / "server.log")
    try:
        server.wait_until_serving()
        for path in PATHS:
            try:
                urllib.request.urlopen(server.url + path, timeout=10).close()
            except urllib.error.HTTPError as error:
                error.close()
    finally:
        server.stop()
    log = server.log()
    assert "Booting worker" in log  # gunicorn's own lines are there
    assert "GET /reset-password/[token] 404" in log  # and the site's
    assert TOKEN not in log
    assert "secret" not in log
