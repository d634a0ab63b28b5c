"""Caching where the web caches: readers' board pages carry an ETag and may be
kept by browsers and proxies, answers are compressed, static files are kept
for a year under URLs that change with them, and nginx in front serves
readers."""
import gzip
import re
import time
import urllib.request

import pytest

from scratchpad import create_app
from scratchpad.extensions import db

from .caching_proxy import CachingProxy, nginx_executable
from .engines import unavailable
from .helpers import add_comment
from .live_server import LiveServer
from .test_statement_count import counted_statements


def test_a_readers_board_page_may_be_kept_and_says_what_it_is(app, client):
    add_comment(app, "Shared words")
    response = client.get("/")
    assert response.status_code == 200
    etag, weak = response.get_etag()
    assert etag and weak
    cache_control = response.cache_control
    assert cache_control.public and cache_control.max_age == 0 and cache_control.must_revalidate
    assert "Cookie" in response.vary


def test_a_repeated_request_with_the_etag_gets_304_without_rendering(app, client):
    add_comment(app, "Shared words")
    etag = client.get("/").headers["ETag"]
    with counted_statements(app) as statements:
        again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert len(statements) == 1  # the reading that names the page


def test_a_new_comment_changes_the_etag(app, client):
    add_comment(app, "First words")
    etag = client.get("/").headers["ETag"]
    add_comment(app, "Second words")
    after = client.get("/", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert "Second words" in after.get_data(as_text=True)
    assert after.headers["ETag"] != etag


def test_personal_pages_are_never_shareable(app, web, make_user):
    make_user("bob")
    web.login("bob")
    response = web.get("/")
    assert "Post a comment" in response.get_data(as_text=True)
    assert not response.cache_control.public
    assert response.get_etag() == (None, None)
    assert web.get("/", headers={"If-None-Match": "*"}).status_code == 200


def test_a_reader_with_a_session_gets_a_page_of_their_own(app, client):
    client.get("/login/")  # the login form's token starts a session
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cache_control.public


def test_text_answers_are_compressed_when_the_client_accepts_it(app, client):
    for number in range(20):
        add_comment(app, f"A comment long enough to be worth compressing, number {number}.")
    plain = client.get("/?before=100000000")
    compressed = client.get("/?before=100000000", headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.vary
    assert gzip.decompress(compressed.get_data()) == plain.get_data()
    assert len(compressed.get_data()) < len(plain.get_data()) / 2


def test_compression_can_be_left_to_a_proxy(app):
    uncompressed = create_app({**app.config, "COMPRESS_RESPONSES": False}).test_client()
    response = uncompressed.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


def test_static_files_are_kept_for_a_year_under_urls_that_change_with_them(app, client):
    page = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"]+)"', page)
    assert any("bootstrap" in url for url in urls) and any("scratchpad.css" in url for url in urls)
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{16}$", url), url
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 60 * 60
        assert response.cache_control.public and response.cache_control.immutable
    stale = client.get("/static/scratchpad.css?v=0000000000000000")
    assert stale.status_code == 200 and stale.cache_control.max_age != 365 * 24 * 60 * 60


@pytest.fixture
def site_behind_nginx(tmp_path):
    if nginx_executable() is None:
        unavailable("nginx: install it with `apt-get install -y nginx` for the caching proxy test")
    (tmp_path / "site").mkdir()
    (tmp_path / "nginx").mkdir()
    server = LiveServer(tmp_path / "site").start()
    try:
        proxy = CachingProxy(tmp_path / "nginx", server.url)
        try:
            yield server, proxy
        finally:
            proxy.stop()
    finally:
        server.stop()


def fetch(url, language=None):
    headers = {"Accept-Language": language} if language else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                timeout=10) as response:
        return response.headers.get("X-Cache-Status"), response.read().decode()


def requests_served_by_the_site(server):
    return len(re.findall(r'"GET / HTTP', server.log()))


@pytest.mark.slow
def test_nginx_in_front_serves_readers_and_shows_a_new_comment(site_behind_nginx):
    server, proxy = site_behind_nginx
    server.create_user("bob", "a walk in the park")
    first_status, first_page = fetch(proxy.url + "/")
    assert first_status == "MISS"
    served = requests_served_by_the_site(server)
    assert served >= 1
    second_status, second_page = fetch(proxy.url + "/")
    assert second_status == "HIT"
    assert second_page == first_page
    assert requests_served_by_the_site(server) == served  # nginx answered alone

    with create_app({"DATABASE_URL": server.environment["DATABASE_URL"],
                     "SECRET_KEY": server.environment["SECRET_KEY"]}).app_context() as context:
        add_comment(context.app, "Fresh through the proxy")
        db.engine.dispose()
    deadline = time.monotonic() + 1 + 2  # SHARED_CACHE_SECONDS, and room to spare
    while True:
        status, page = fetch(proxy.url + "/")
        if "Fresh through the proxy" in page:
            break
        assert time.monotonic() < deadline, "the new comment never reached the proxy's readers"
        assert status == "HIT"
        time.sleep(0.05)
    assert status in ("EXPIRED", "REVALIDATED", "MISS")

    # Anyone with a session is served by the site, never from the proxy's copy.
    with_session = urllib.request.Request(proxy.url + "/", headers={"Cookie": "session=abc"})
    with urllib.request.urlopen(with_session, timeout=10) as response:
        assert response.headers["X-Cache-Status"] == "BYPASS"


@pytest.mark.slow
def test_nginx_in_front_keeps_each_language_apart(site_behind_nginx):
    server, proxy = site_behind_nginx
    server.create_user("bob", "a walk in the park")
    for language, words in (("de", 'lang="de"'), ("es", 'lang="es"'), (None, 'lang="en"'),
                            ("de-DE,de;q=0.9", 'lang="de"')):
        status, page = fetch(proxy.url + "/", language)
        assert words in page, (language, status)
    status, page = fetch(proxy.url + "/", "es")
    assert status == "HIT" and 'lang="es"' in page
