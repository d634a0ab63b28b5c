"""A PostgreSQL cluster of the test's own, on a free port, which the test may
stop and start as it likes (the shared server is never touched). Like every
PostgreSQL test, it runs where the environment names a PostgreSQL server."""
import os
import shutil
import subprocess
import tempfile

from support.site_processes import free_port

from .engines import server_url, unavailable

SERVER_USER = "postgres"


def postgres_tool(name):
    """The path of ``initdb``/``pg_ctl``, or None when PostgreSQL's server is not installed."""
    found = shutil.which(name)
    if found:
        return found
    for version_dir in sorted(os.listdir("/usr/lib/postgresql"), reverse=True) \
            if os.path.isdir("/usr/lib/postgresql") else []:
        candidate = os.path.join("/usr/lib/postgresql", version_dir, "bin", name)
        if os.path.exists(candidate):
            return candidate
    return None


class PostgresCluster:
    """``initdb`` into a fresh directory and ``pg_ctl start`` on a free port,
    run as the ``postgres`` user; trust authentication on loopback only."""

    def __init__(self):
        server_url("postgresql")
        self.initdb, self.pg_ctl = postgres_tool("initdb"), postgres_tool("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            unavailable("PostgreSQL's initdb and pg_ctl are not installed")
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="scratchpad-pg-")
        os.chmod(self.directory, 0o755)
        shutil.chown(self.directory, SERVER_USER)
        self.data = os.path.join(self.directory, "data")
        self.log = os.path.join(self.directory, "server.log")
        self._as_server_user([self.initdb, "-D", self.data, "-U", "postgres",
                              "--auth=trust", "--no-sync"])
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.start()

    def _as_server_user(self, command):
        as_user = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
        subprocess.run(as_user + command, check=True, capture_output=True, timeout=120)

    def start(self):
        self._as_server_user([self.pg_ctl, "-D", self.data, "-l", self.log, "-w", "-o",
                              f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
                              " -c fsync=off", "start"])

    def stop(self, mode="fast"):
        self._as_server_user([self.pg_ctl, "-D", self.data, "-m", mode, "-w", "stop"])

    def remove(self):
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.directory, ignore_errors=True)
