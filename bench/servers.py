"""gunicorn servers for the benchmark, ready once all their workers serve,
and the peak memory of those workers."""
import contextlib
import os
import tempfile
from pathlib import Path

from support.site_processes import GunicornServer

from .database import BenchDatabase

WORKERS = 2


class MeasuredServer(GunicornServer):
    """A GunicornServer of WORKERS workers in this process's environment plus
    ``environment``, started and serving."""

    def __init__(self, app, environment, log_path):
        super().__init__(app, {**os.environ, **environment}, log_path, workers=WORKERS)
        self.wait_until_serving()

    def worker_memory_mb(self, field):
        """The largest of the workers' ``field`` in /proc/PID/status, in MB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes)

    def peak_worker_memory_mb(self):
        """The largest peak resident set (VmHWM) among the workers, in MB."""
        return self.worker_memory_mb("VmHWM")

    def resident_worker_memory_mb(self):
        """The largest resident set now (VmRSS) among the workers, in MB."""
        return self.worker_memory_mb("VmRSS")


@contextlib.contextmanager
def database_and_bare_app(arguments):
    """What every benchmark run needs: a throw-away database with the
    commenters, the bare Flask app served beside it, and a folder for the
    servers' logs, ``(database, bare, logs)``; all gone afterwards."""
    database = BenchDatabase(arguments.db, arguments.server_url)
    with tempfile.TemporaryDirectory(prefix="scratchpad-bench-logs-") as logs:
        logs = Path(logs)
        bare = MeasuredServer("bench.hello:application", {}, logs / "bare.log")
        try:
            database.add_commenters()
            yield database, bare, logs
        finally:
            bare.stop()
            database.close()
