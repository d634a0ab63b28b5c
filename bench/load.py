"""Loading a URL with wrk and reading its report."""
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass

UNITS_IN_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
# What a browser asks for with every page (Chromium's encodings); the bare app
# is sent the same.
BROWSER_ACCEPTS = ("Accept-Encoding: gzip, deflate, br, zstd",
                   "Accept-Language: en-US,en;q=0.9")
WARM_UP_SECONDS = 2


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int  # non-2xx/3xx answers and socket errors


def require_wrk():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")


def run_wrk(url, seconds, connections, threads, headers=()):
    """wrk on ``url``, each request carrying ``headers`` ("Name: value")."""
    header_arguments = [argument for header in headers for argument in ("-H", header)]
    report = subprocess.run(
        ["wrk", "--latency", f"-d{seconds}s", f"-c{connections}", f"-t{threads}",
         *header_arguments, url],
        capture_output=True, text=True, check=True,
    ).stdout
    return parse_wrk(report)


def parse_wrk(report):
    def latency(percentile):
        line = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", report, re.M)
        value, unit = line.groups()
        return float(value) * UNITS_IN_MS[unit]

    failures = sum(int(count) for count in re.findall(
        r"(?:Non-2xx or 3xx responses:|connect|read|write|timeout) (\d+)", report))
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),
        p50_ms=latency(50),
        p99_ms=latency(99),
        failures=failures,
    )


def median_load(loads):
    return Load(
        requests_per_second=statistics.median(load.requests_per_second for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        failures=sum(load.failures for load in loads),
    )


def loads_in_turns(targets, arguments):
    """wrk on every target, ``name -> (url, headers)``: each warmed up once,
    then all loaded in turns ``arguments.rounds`` times, so that a busy moment
    of the machine slows them alike; ``name -> `` the median Load."""
    for url, headers in targets.values():
        run_wrk(url, WARM_UP_SECONDS, arguments.connections, arguments.threads, headers)
    samples = {name: [] for name in targets}
    for _ in range(arguments.rounds):
        for name, (url, headers) in targets.items():
            samples[name].append(run_wrk(url, arguments.duration, arguments.connections,
                                         arguments.threads, headers))
    return {name: median_load(loads) for name, loads in samples.items()}
