"""The site served as its README says, in a process of its own: ``flask db
upgrade`` on a fresh SQLite database, then ``flask run`` on a free local port,
with its standard error kept in a file the tests can read."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from support.site_processes import REPOSITORY, free_port, stop_process

# Where the browser tests save their screenshots (git ignores it).
ARTIFACTS = REPOSITORY / "test-artifacts"

START_TIMEOUT_SECONDS = 30


class LiveServer:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.log_path = self.directory / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.directory / 'scratchpad.sqlite'}",
            "SECRET_KEY": "live server test key, long enough for production",
            "FLASK_DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self.process = None

    def flask(self, *arguments, input=None):
        """Run a ``flask --app scratchpad`` command against the server's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "scratchpad", *arguments],
            cwd=REPOSITORY, env=self.environment, input=input, text=True,
            capture_output=True, check=True, timeout=60,
        )

    def create_user(self, username, password, admin=False):
        self.flask("users", "create", username, "--password-stdin", *(["--admin"] if admin else []),
                   input=password + "\n")

    def start(self):
        self.flask("db", "upgrade")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "scratchpad", "run",
                 "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=REPOSITORY, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the live server did not start:\n{self.log()}")
            time.sleep(0.1)
        return self

    def _answers(self):
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def log(self):
        return self.log_path.read_text()

    def stop(self):
        if self.process and self.process.poll() is None:
            stop_process(self.process, seconds=10)
