"""The site in processes of its own, and visitors talking HTTP to them:
gunicorn started with the repository's gunicorn.conf.py on a free loopback
port, and a visitor that keeps its cookies and follows no redirects."""
import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser on one server: keeps its cookies, follows no redirects, and
    names itself the same way in every request, as a browser does (Flask-Login
    marks a session whose browser changes as no longer fresh)."""

    USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Scratchpad-Visitor/1.0"

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.last_headers = None
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)
        self._opener.addheaders = [("User-Agent", self.USER_AGENT)]

    def request(self, path, form=None):
        """(status, Location header, body) of a GET, or of a POST of ``form``;
        the answer's headers are kept in ``last_headers``."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self._opener.open(self.base_url + path, data=data, timeout=60) as response:
                self.last_headers = response.headers
                return response.status, response.headers.get("Location"), response.read().decode()
        except urllib.error.HTTPError as answer:  # any status but 2xx
            self.last_headers = answer.headers
            return answer.code, answer.headers.get("Location"), answer.read().decode()

    def cookie_header(self):
        """The visitor's cookies as one ``Cookie:`` request header."""
        return "Cookie: " + "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def browser_headers(self):
        """What another client (wrk) sends to be this visitor: its cookies and its name."""
        return (self.cookie_header(), f"User-Agent: {self.USER_AGENT}")

    def csrf_token(self, path):
        status, _, page = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def log_in(self, username, password):
        """The status the login form answered."""
        form = {"username": username, "password": password,
                "csrf_token": self.csrf_token("/login/")}
        return self.request("/login/", form)[0]


class GunicornServer:
    """``gunicorn -c gunicorn.conf.py APP`` with ``workers`` workers on a free
    loopback port, in exactly ``environment``; its output goes to ``log_path``."""

    def __init__(self, app, environment, log_path, workers=2):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = Path(log_path)
        self.workers = workers
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app],
            cwd=REPOSITORY, stdout=self._log, stderr=subprocess.STDOUT,
            env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}",
                 "GUNICORN_WORKERS": str(workers)},
        )

    def wait_until_serving(self, seconds=60):
        """Until ``/`` answers 200 and every worker has started."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    if response.status == 200 and len(self.worker_pids()) == self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not serve {self.url}; {self.log_path} ends:\n"
                           f"{self.log()[-3000:]}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        stop_process(self.process, seconds=30)
        self._log.close()


def stop_process(process, seconds):
    """Terminate ``process``, and kill it if it has not ended within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
