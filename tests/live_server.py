"""The site served as its README says, in a process of its own: a fresh SQLite
database brought to the newest migration (as ``flask db upgrade`` does; the
command itself is run by test_adoption.py and test_package.py), then ``flask run`` on a free
local port, with its standard error kept in a file the tests can read."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from flask_migrate import upgrade

from scratchpad import create_app
from scratchpad.extensions import db
from support.site_processes import REPOSITORY, free_port, stop_process

from .helpers import create_user

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

    def site(self):
        """The site on the server's database, in this process."""
        return create_app({"DATABASE_URL": self.environment["DATABASE_URL"],
                           "SECRET_KEY": self.environment["SECRET_KEY"]})

    def create_user(self, username, password, admin=False):
        """An account made in this process, as ``flask users create`` makes it
        (the command itself is tested in test_cli.py)."""
        app = self.site()
        create_user(app, username, password, is_admin=admin)
        with app.app_context():
            db.engine.dispose()

    def start(self):
        with self.site().app_context():
            upgrade()
            db.engine.dispose()
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
