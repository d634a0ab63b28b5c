"""The API served as in production, by gunicorn with the repository's
gunicorn.conf.py (two workers), on every engine, driven with requests as a
script would: a token lists, posts, reads and deletes; a session cookie gets
401; errors are JSON; every answer is checked against the OpenAPI description."""
import os
import uuid

import pytest
import requests

from support.site_processes import GunicornServer, Visitor

from .helpers import OPENAPI, OPENAPI_FILE, PASSWORD, api_token

pytestmark = pytest.mark.slow

SECRET_KEY = "API server test key " + uuid.uuid4().hex


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "SECRET_KEY": SECRET_KEY,
        # Plain http on the loopback: the session cookie must travel without TLS.
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_REMEMBER_COOKIE_SECURE": "false",
    }
    started = GunicornServer("wsgi:application", environment,
                             tmp_path_factory.mktemp("gunicorn") / "server.log")
    started.wait_until_serving()
    yield started
    started.stop()


class Script:
    """requests against the server, every answer checked against the description."""

    def __init__(self, server, token=None):
        self.server = server
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, **kwargs):
        answer = self.http.request(method, self.server.url + OPENAPI.base + path, timeout=30,
                                   **kwargs)
        answer.data = OPENAPI.check(method, OPENAPI.base + path, answer.status_code,
                                    answer.headers, answer.content)
        return answer


def test_a_script_lists_posts_reads_and_deletes_with_a_token(server, app, make_user):
    script = Script(server, api_token(app, make_user("bob")))

    posted = script.request("POST", "/comments", json={"content": "From a *script*"})
    assert posted.status_code == 201
    location = posted.headers["Location"]
    assert location == f"/api/v1/comments/{posted.data['id']}"
    reply = script.request("POST", "/comments",
                           json={"content": "Re", "reply_to": posted.data["id"]})
    assert reply.status_code == 201

    listed = script.request("GET", "/comments")
    assert listed.status_code == 200
    [thread] = listed.data["comments"]
    assert (thread["content"], thread["html"]) == ("From a *script*",
                                                   "<p>From a <em>script</em></p>\n")
    assert [item["id"] for item in thread["replies"]] == [reply.data["id"]]
    assert script.request("GET", location.removeprefix(OPENAPI.base)).data["author"] == "bob"
    assert script.request("GET", "/users/Bob").data["username"] == "bob"

    assert script.request("DELETE", f"/comments/{posted.data['id']}").status_code == 204
    assert script.request("GET", f"/comments/{posted.data['id']}").status_code == 404
    assert script.request("GET", "/comments").data["comments"] == []


def test_a_session_cookie_gets_401_and_sets_no_cookie(server, app, make_user):
    make_user("bob")
    browser = Visitor(server.url)
    assert browser.log_in("bob", PASSWORD) == 302
    name, value = browser.cookie_header().removeprefix("Cookie: ").split("=", 1)
    script = Script(server)
    script.http.cookies.set(name, value)
    answer = script.request("GET", "/comments")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="Scratchpad API"'
    assert "Set-Cookie" not in answer.headers
    posted = script.request("POST", "/comments", json={"content": "Forged"})
    assert posted.status_code == 401


@pytest.mark.parametrize("method, path, options, status", [
    ("GET", "/no/such/thing", {}, 404),
    ("PUT", "/comments", {"json": {"content": "x"}}, 405),
    ("POST", "/comments", {"data": b"{broken", "headers": {"Content-Type": "application/json"}},
     400),
    ("POST", "/comments", {"data": b"content=x"}, 415),
    ("POST", "/comments", {"json": {"content": "x" * 100_000}}, 413),
    ("POST", "/comments", {"json": {"content": "x" * 4097}}, 400),
    ("GET", "/comments?limit=0", {}, 400),
    ("GET", "/comments/2147483648", {}, 404),
    ("DELETE", "/comments/999999", {}, 404),
])
def test_errors_are_json_through_the_server(server, app, make_user, method, path, options,
                                            status):
    script = Script(server, api_token(app, make_user("bob")))
    answer = script.request(method, path, **options)
    assert answer.status_code == status
    assert set(answer.data) == {"error", "message"}


def test_the_description_is_served_as_it_is(server):
    answer = requests.get(server.url + "/api/v1/openapi.json", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.content == OPENAPI_FILE.read_bytes()
