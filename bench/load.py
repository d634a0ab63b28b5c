"""Loading a URL with wrk and reading its report."""
import re
import shutil
import subprocess
from dataclasses import dataclass

UNITS_IN_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int  # non-2xx/3xx answers and socket errors


def wrk_available():
    return shutil.which("wrk") is not None


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
