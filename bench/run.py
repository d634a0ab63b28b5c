"""The board's speed as the table grows, against a bare Flask app.

    .venv/bin/python -m bench.run --db sqlite --sizes 1000,100000,1000000

For each size: seeds the comments, serves the site with gunicorn (the
repository's gunicorn.conf.py, 2 workers) beside a bare Flask app served the
same way, loads the first page, a deep page and the bare app with wrk, and
prints requests/s, p50/p99 latency, the ratio to the bare app, the workers'
peak memory and the SQL statements per page; then what a login and posting a
comment take. Last, THREADS threads of REPLIES_PER_THREAD replies each are
added on top of the largest board, and its first page, now all threads, is
measured the same way beside the flat first page. Needs wrk (``apt-get install wrk``); loads only the loopback.
"""
import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from .database import COMMENTERS, PASSWORD, BenchDatabase
from .load import Load, run_wrk, wrk_available
from .queries import PageStatements
from .servers import WORKERS, MeasuredServer
from .visits import login_and_post_times

# The deep page starts this many comments from the oldest one.
DEEP_PAGE_OFFSET = 60
WARM_UP_SECONDS = 2
THREADS = 50
REPLIES_PER_THREAD = 10
TIMED_LOGINS = 8
POSTS_PER_LOGIN = 3

TARGET_SIZE_SPREAD = 0.15
TARGET_BARE_RATIO = 0.20
TARGET_P99_MS = 50
TARGET_WORKER_MB = 80


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "mysql", "postgresql"], default="sqlite")
    parser.add_argument("--server-url", help="the MariaDB/MySQL or PostgreSQL server to make a "
                        "throw-away database on (default: root@127.0.0.1:3306 or "
                        "postgres@127.0.0.1:5432)")
    parser.add_argument("--sizes", default="1000,100000,1000000",
                        help="comma-separated numbers of comments (default: %(default)s)")
    parser.add_argument("--duration", type=int, default=5,
                        help="seconds of wrk per load and round (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="the site's pages and the bare "
                        "app take turns this many times; medians are shown (default: %(default)s)")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="render every page (BOARD_PAGE_CACHE off): what the cache saves")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    arguments = parser.parse_args()
    arguments.sizes = sorted(int(size) for size in arguments.sizes.split(","))
    return arguments


def site_environment(database, page_cache):
    return {
        "SCRATCHPAD_BOARD_PAGE_CACHE": "true" if page_cache else "false",
        "DATABASE_URL": database.url,
        "SECRET_KEY": "benchmark secret key " + "x" * 32,
        # Plain http on the loopback: the session cookie must travel without TLS.
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_REMEMBER_COOKIE_SECURE": "false",
    }


def measure_in_process(database, pages, page_cache):
    """Statements, in-process time and plans of each page, for an anonymous
    and a logged-in reader, in a process that has served the pages before."""
    server = PageStatements(database.app, page_cache)
    try:
        for path in pages.values():
            server.statements(path)
        anonymous = {name: server.statements(path) for name, path in pages.items()}
        anonymous_ms = {name: server.median_ms(path) for name, path in pages.items()}
        server.log_in("reader0", PASSWORD)
        logged_in = {name: server.statements(path) for name, path in pages.items()}
        logged_in_ms = {name: server.median_ms(path) for name, path in pages.items()}
        plans = [(statement, server.plan(statement, parameters))
                 for statement, parameters in logged_in.get("deep", [])]
    finally:
        server.close()
    return {
        "statements": {name: (len(anonymous[name]), len(logged_in[name])) for name in pages},
        "in_process_ms": {name: (anonymous_ms[name], logged_in_ms[name]) for name in pages},
        "plans": plans,
    }


def measure_served(site, bare, pages, arguments):
    """wrk on the site's pages and the bare app, taking turns; then a few
    logins and comments, one at a time; and the workers' peak memory."""
    targets = {name: site.url + path for name, path in pages.items()}
    targets["bare"] = bare.url + "/"
    for url in targets.values():
        run_wrk(url, WARM_UP_SECONDS, arguments.connections, arguments.threads)
    samples = {name: [] for name in targets}
    for _ in range(arguments.rounds):
        for name, url in targets.items():
            samples[name].append(run_wrk(url, arguments.duration, arguments.connections,
                                         arguments.threads))
    reading_mb = site.peak_worker_memory_mb()
    login_ms, post_ms = login_and_post_times(
        site.url, [f"reader{number}" for number in range(1, TIMED_LOGINS + 1)],
        PASSWORD, POSTS_PER_LOGIN)
    return {
        "loads": {name: median_load(samples[name]) for name in pages},
        "bare": median_load(samples["bare"]),
        "reading_mb": reading_mb, "memory_mb": site.peak_worker_memory_mb(),
        "login_ms": login_ms, "post_ms": post_ms,
    }


def measure_size(size, database, bare, arguments, logs):
    """Everything printed for ``size`` comments."""
    database.fill_to(size)
    pages = {"first": "/", "deep": f"/?before={database.oldest_comment_id() + DEEP_PAGE_OFFSET}"}
    return measure_pages(size, pages, database, bare, arguments, logs)


def measure_pages(size, pages, database, bare, arguments, logs):
    page_cache = not arguments.no_page_cache
    result = {"size": size, **measure_in_process(database, pages, page_cache)}
    site = MeasuredServer("wsgi:application", site_environment(database, page_cache),
                          logs / f"site-{size}.log")
    try:
        result.update(measure_served(site, bare, pages, arguments))
    finally:
        site.stop()
    return result


def median_load(loads):
    return Load(
        requests_per_second=statistics.median(load.requests_per_second for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        failures=sum(load.failures for load in loads),
    )


def print_header(arguments):
    load_1, load_5, _ = os.getloadavg()
    cache = "off" if arguments.no_page_cache else "on"
    print(f"# Scratchpad on {arguments.db}, page cache {cache}: {os.cpu_count()} CPU cores, "
          f"load average {load_1:.1f}/{load_5:.1f} before the run; gunicorn {WORKERS} sync "
          f"workers; wrk -t{arguments.threads} -c{arguments.connections} "
          f"-d{arguments.duration}s, median of {arguments.rounds} rounds; "
          f"{COMMENTERS} commenters\n")
    print("| comments | page | req/s | p50 ms | p99 ms | of bare req/s | peak RSS/worker "
          "(reading) | SQL/page (anonymous, logged in) | in-process ms (anonymous, logged in) "
          "| errors |")
    print("|---:|---|---:|---:|---:|---:|---:|---|---|---:|", flush=True)


def print_rows(result):
    for name, load in result["loads"].items():
        anonymous, logged_in = result["statements"][name]
        anonymous_ms, logged_in_ms = result["in_process_ms"][name]
        print(f"| {result['size']:,} | {name} | {load.requests_per_second:.0f} | "
              f"{load.p50_ms:.1f} | {load.p99_ms:.1f} | "
              f"{load.requests_per_second / result['bare'].requests_per_second:.0%} | "
              f"{result['reading_mb']:.0f} MB | {anonymous}, {logged_in} | "
              f"{anonymous_ms:.1f}, {logged_in_ms:.1f} | {load.failures} |",
              flush=True)


def print_details(results):
    print("\n| comments | bare app req/s | bare p99 ms | login (median) | posting a comment "
          "(median) | peak RSS/worker after logins |")
    print("|---:|---:|---:|---:|---:|---:|")
    for result in results:
        bare = result["bare"]
        print(f"| {result['size']:,} | {bare.requests_per_second:.0f} | {bare.p99_ms:.1f} | "
              f"{result['login_ms']:.0f} ms | {result['post_ms']:.0f} ms | "
              f"{result['memory_mb']:.0f} MB |")
    print(f"\nThe deep page's statements for a logged-in reader at {results[-1]['size']:,} "
          "comments, and their plans:")
    for statement, plan in results[-1]["plans"]:
        print("    " + " ".join(statement.split())[:110] + " …")
        for line in plan:
            print(f"        {line}")


def print_targets(results):
    smallest, largest = results[0], results[-1]
    print("\nTargets:")

    def verdict(met):
        return "met" if met else "NOT met"

    for name in ("first", "deep"):
        ratio = (largest["loads"][name].requests_per_second
                 / smallest["loads"][name].requests_per_second)
        print(f"- {name} page at {largest['size']:,} comments: {ratio:.0%} of the "
              f"{smallest['size']:,}-comment req/s (within {TARGET_SIZE_SPREAD:.0%}: "
              f"{verdict(abs(1 - ratio) <= TARGET_SIZE_SPREAD)})")
    loads = [(result, load) for result in results for load in result["loads"].values()]
    worst_ratio = min(load.requests_per_second / result["bare"].requests_per_second
                      for result, load in loads)
    worst_p99 = max(load.p99_ms for _, load in loads)
    most_memory = max(result["reading_mb"] for result in results)
    after_logins = max(result["memory_mb"] for result in results)
    print(f"- lowest share of the bare app's req/s: {worst_ratio:.0%} "
          f"(at least {TARGET_BARE_RATIO:.0%}: {verdict(worst_ratio >= TARGET_BARE_RATIO)})")
    print(f"- highest p99: {worst_p99:.1f} ms (under {TARGET_P99_MS} ms: "
          f"{verdict(worst_p99 < TARGET_P99_MS)})")
    print(f"- highest peak RSS per worker serving pages: {most_memory:.0f} MB (under "
          f"{TARGET_WORKER_MB} MB: {verdict(most_memory < TARGET_WORKER_MB)}); after logins: "
          f"{after_logins:.0f} MB (under {TARGET_WORKER_MB} MB: "
          f"{verdict(after_logins < TARGET_WORKER_MB)})")


def print_threads(flat, threaded):
    """The threaded first page beside the flat one, each as a share of the
    bare app's req/s measured in the same run."""
    flat_ratio = (flat["loads"]["first"].requests_per_second
                  / flat["bare"].requests_per_second)
    threaded_ratio = (threaded["loads"]["threads"].requests_per_second
                      / threaded["bare"].requests_per_second)
    anonymous, logged_in = threaded["statements"]["threads"]
    print(f"- first page of {THREADS} threads with {REPLIES_PER_THREAD} replies each: "
          f"{threaded_ratio:.0%} of the bare app's req/s, beside {flat_ratio:.0%} for the flat "
          f"first page ({anonymous} statements anonymous, {logged_in} logged in; "
          f"within {TARGET_SIZE_SPREAD:.0%} of the flat ratio: "
          f"{'met' if abs(threaded_ratio - flat_ratio) <= TARGET_SIZE_SPREAD * flat_ratio else 'NOT met'})")


def main():
    arguments = parse_arguments()
    if not wrk_available():
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    started = time.monotonic()
    print_header(arguments)
    database = BenchDatabase(arguments.db, arguments.server_url)
    results = []
    with tempfile.TemporaryDirectory(prefix="scratchpad-bench-logs-") as logs:
        logs = Path(logs)
        bare = MeasuredServer("bench.hello:application", {}, logs / "bare.log")
        try:
            database.add_commenters()
            for size in arguments.sizes:
                results.append(measure_size(size, database, bare, arguments, logs))
                print_rows(results[-1])
            database.add_threads(THREADS, REPLIES_PER_THREAD)
            threaded = measure_pages(results[-1]["size"], {"threads": "/"}, database, bare,
                                     arguments, logs)
            print_rows(threaded)
        finally:
            bare.stop()
            database.close()
    print_details(results)
    print_targets(results)
    print_threads(results[-1], threaded)
    print(f"\n(run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
