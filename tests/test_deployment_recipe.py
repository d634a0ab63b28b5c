"""The deployment recipe in docs/deploy, run as written: gunicorn started with
the systemd unit's command and settings, behind a real nginx with the shipped
server block, over TLS. Each visitor is counted by the address it comes from,
whatever it writes in X-Forwarded-For; the site knows it is served over HTTPS;
plain http is sent to HTTPS; nginx serves the static files. (Its caching lines are
those tests/test_http_caching.py runs.)"""
import http.client
import http.cookies
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
import urllib.parse
import uuid

import pytest

from support.site_processes import REPOSITORY, free_port, stop_process

from .caching_proxy import nginx_configuration, nginx_executable
from .engines import unavailable

pytestmark = pytest.mark.slow

RECIPE = REPOSITORY / "docs" / "deploy"
SITE_NAME = "board.example.org"
PASSWORD = "correct horse battery"
FLASK = [sys.executable, "-m", "flask", "--app", "scratchpad"]
# Failed logins an address may make in a minute, for this test.
ADDRESS_LIMIT = 3

DEPLOYMENT_HTTP = """\
    include {mime_types};
    access_log off;
{server_block}"""


def replaced(text, old, new):
    assert old in text, f"the recipe no longer says {old!r}"
    return text.replace(old, new)


def service_settings():
    """The systemd unit's ``Environment=`` settings and ``ExecStart=`` command."""
    environment, command = {}, None
    for line in (RECIPE / "scratchpad.service").read_text().splitlines():
        if line.startswith("Environment="):
            name, _, value = line.removeprefix("Environment=").partition("=")
            environment[name] = value
        elif line.startswith("ExecStart="):
            command = shlex.split(line.removeprefix("ExecStart="))
    return environment, command


class Browser:
    """A client from its own loopback address (127.0.0.N), over TLS that it
    verifies, keeping its cookies and following no redirects."""

    def __init__(self, address, port, certificate, extra_headers=None):
        self.address, self.port = address, port
        self.context = ssl.create_default_context(cafile=str(certificate))
        self.cookies = {}
        self.extra_headers = extra_headers or {}

    def request(self, path, form=None, headers=None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30,
                                                 context=self.context,
                                                 source_address=(self.address, 0))
        # As a browser at https://board.example.org/ would send them (nginx's
        # $host drops the port, so the test's own port must not be in them).
        sent = {"Host": SITE_NAME, "Referer": f"https://{SITE_NAME}{path}",
                **self.extra_headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request("POST" if form is not None else "GET", path, body, sent)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def csrf_token(self, path):
        status, _, page = self.request(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def log_in(self, username, password):
        form = {"username": username, "password": password,
                "csrf_token": self.csrf_token("/login/")}
        return self.request("/login/", form)[0]


def plain_status(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


def wait_for(answers, process, log_path, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if answers():
                return
        except OSError:
            pass
        time.sleep(0.05)
    stop_process(process, seconds=10)
    pytest.fail(f"{what} did not start:\n{log_path.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    nginx, openssl = nginx_executable(), shutil.which("openssl")
    if nginx is None or openssl is None:
        unavailable("nginx and openssl: install them with `apt-get install -y nginx openssl` "
                    "for the deployment recipe test")
    work = tmp_path_factory.mktemp("deployed")
    certificate, key = work / "fullchain.pem", work / "privkey.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=board.example.org",
                    "-addext", "subjectAltName=DNS:board.example.org,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True, timeout=60)

    unit_environment, command = service_settings()
    assert command[0].endswith("/.venv/bin/gunicorn")
    assert unit_environment["SCRATCHPAD_TRUSTED_PROXIES"] == "1"
    app_port = free_port()
    environment = {
        **{name: value for name, value in os.environ.items()
           if not name.startswith(("SCRATCHPAD_", "GUNICORN_"))},
        **unit_environment,
        "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "1",
        "DATABASE_URL": f"sqlite:///{work / 'scratchpad.sqlite'}",
        "SECRET_KEY": "deployment recipe test key " + uuid.uuid4().hex,
        "SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS": f"{ADDRESS_LIMIT} per minute",
    }
    subprocess.run([*FLASK, "db", "upgrade"], cwd=REPOSITORY, env=environment, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([*FLASK, "users", "create", "ann", "--password-stdin"], cwd=REPOSITORY,
                   env=environment, input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True, timeout=120)
    gunicorn_log = work / "gunicorn.log"
    with open(gunicorn_log, "wb") as log:
        gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", *command[1:]],
                                    cwd=REPOSITORY, env=environment, stdout=log,
                                    stderr=subprocess.STDOUT)
    wait_for(lambda: plain_status(app_port, "/healthz") == 200, gunicorn, gunicorn_log,
             "gunicorn")

    http_port, https_port = free_port(), free_port()
    block = (RECIPE / "nginx.conf").read_text()
    block = "\n".join(line for line in block.splitlines() if "listen [::]" not in line)
    for old, new in [
            ("listen 80;", f"listen 127.0.0.1:{http_port};"),
            ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
            ("/etc/letsencrypt/live/board.example.org/fullchain.pem", str(certificate)),
            ("/etc/letsencrypt/live/board.example.org/privkey.pem", str(key)),
            ("/var/cache/nginx/scratchpad", str(work / "cache")),
            ("/srv/scratchpad/static/", f"{REPOSITORY / 'scratchpad' / 'static'}/"),
            ("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}")]:
        block = replaced(block, old, new)
    (work / "nginx").mkdir()
    configuration = work / "nginx" / "nginx.conf"
    configuration.write_text(nginx_configuration(work / "nginx", DEPLOYMENT_HTTP.format(
        mime_types="/etc/nginx/mime.types", server_block=block)))
    nginx_log = work / "nginx" / "stderr.log"
    with open(nginx_log, "wb") as log:
        proxy = subprocess.Popen([nginx, "-c", str(configuration), "-p", str(work / "nginx")],
                                 stdout=subprocess.DEVNULL, stderr=log)
    visitor = Browser("127.0.0.1", https_port, certificate)
    wait_for(lambda: visitor.request("/healthz")[0] == 200, proxy, nginx_log, "nginx")
    try:
        yield {"https_port": https_port, "http_port": http_port, "certificate": certificate,
               "gunicorn_log": gunicorn_log}
    finally:
        stop_process(proxy, seconds=10)
        stop_process(gunicorn, seconds=30)


def browser(deployed, address, **headers):
    return Browser(address, deployed["https_port"], deployed["certificate"], headers)


def failed_logins_until_refused(visitor, most):
    """The statuses of wrong passwords for ever new names, up to the first 429."""
    statuses = []
    while len(statuses) < most and 429 not in statuses:
        statuses.append(visitor.log_in(f"nobody-{uuid.uuid4().hex[:8]}", "wrong password"))
    return statuses


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(deployed):
    """Each attempt names another address; all are counted as the one they come from."""
    attempts = []
    for number in range(ADDRESS_LIMIT + 1):
        liar = browser(deployed, "127.0.0.2", **{"X-Forwarded-For": f"9.9.9.{number}"})
        attempts += failed_logins_until_refused(liar, most=1)
    assert attempts == [401] * ADDRESS_LIMIT + [429]


def test_each_visitor_is_counted_by_its_own_address(deployed):
    assert failed_logins_until_refused(browser(deployed, "127.0.0.3"), most=10) == \
        [401] * ADDRESS_LIMIT + [429]
    # Another visitor behind the same nginx is not locked out by the first.
    neighbour = browser(deployed, "127.0.0.4")
    assert neighbour.log_in("ann", PASSWORD) == 302
    assert any(name.startswith("__Host-") for name in neighbour.cookies)
    assert neighbour.request("/account/")[0] == 200


def test_the_site_knows_it_is_served_over_https(deployed):
    status, _, feed = browser(deployed, "127.0.0.5").request("/feed.atom")
    assert status == 200
    links = re.findall(r'href="([^"]+)"', feed)
    assert links and all(link.startswith("https://") for link in links), links


def test_plain_http_is_sent_to_https(deployed):
    connection = http.client.HTTPConnection("127.0.0.1", deployed["http_port"], timeout=10)
    connection.request("GET", "/login/?next=%2F", headers={"Host": "board.example.org"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://board.example.org/login/?next=%2F"
    connection.close()


def test_nginx_serves_the_static_files(deployed):
    visitor = browser(deployed, "127.0.0.6")
    _, _, page = visitor.request("/")
    stylesheet = re.search(r'href="(/static/scratchpad\.css\?v=[0-9a-f]+)"', page).group(1)
    status, headers, body = visitor.request(stylesheet)
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert body == (REPOSITORY / "scratchpad" / "static" / "scratchpad.css").read_text()
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # From nginx itself: the site adds its Content-Security-Policy to every answer.
    assert "Content-Security-Policy" not in headers
    assert visitor.request("/static/scratchpad.css")[1]["Cache-Control"] == "no-cache"
