"""The board's speed as the table grows, against a bare Flask app.

    .venv/bin/python -m bench.run --db sqlite --sizes 1000,100000,1000000

For each size: seeds the comments, serves the site with gunicorn (the
repository's gunicorn.conf.py, 2 workers) beside a bare Flask app served the
same way, loads the first page and a deep page, as an anonymous reader and
as a logged-in one, and the bare app with wrk (each request asking for the
encodings and language a browser asks for), and prints requests/s, p50/p99
latency, the ratio to the bare app, the workers' peak memory and the SQL
statements per page; then what a login costs (and the workers' memory after
100 of them), and how many comments per second 16 posters at once get stored.
Last, THREADS threads of REPLIES_PER_THREAD replies each are added on top of the
largest board, and its first page, now all threads, is measured the same way
beside the flat first page. Needs wrk (``apt-get install wrk``); loads only the loopback.
"""
import os
import time

from .database import COMMENTERS, PASSWORD
from .load import BROWSER_ACCEPTS, loads_in_turns, require_wrk
from .options import benchmark_parser, parsed
from .queries import PageStatements
from .servers import WORKERS, MeasuredServer, database_and_bare_app
from .visits import concurrent_posting, logged_in_visitor, login_and_post_times

# The deep page starts this many comments from the oldest one.
DEEP_PAGE_OFFSET = 60
THREADS = 50
REPLIES_PER_THREAD = 10
TIMED_LOGINS = 100
POSTS_PER_LOGIN = 1
POSTERS = 16
POSTS_PER_POSTER = 10
READERS = ("anonymous", "logged in")

TARGET_SIZE_SPREAD = 0.15
TARGET_BARE_RATIO = {"anonymous": 0.50, "logged in": 0.25}
TARGET_P99_MS = 25
TARGET_WORKER_MB = 80
TARGET_STATEMENTS = 3


def parse_arguments():
    parser = benchmark_parser(__doc__, sizes="1000,100000,1000000")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="render every page (BOARD_PAGE_CACHE off): what the cache saves")
    return parsed(parser)


def site_environment(database, page_cache):
    return {
        "SCRATCHPAD_BOARD_PAGE_CACHE": "true" if page_cache else "false",
        "DATABASE_URL": database.url,
        "SECRET_KEY": "benchmark secret key " + "x" * 32,
        # Plain http on the loopback: the session cookie must travel without TLS.
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_REMEMBER_COOKIE_SECURE": "false",
        # All the benchmark's logins and posts come from one address in a few
        # minutes: the limits would measure themselves.
        "SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS": "100000 per minute",
        "SCRATCHPAD_COMMENT_LIMITS_PER_USER": "100000 per minute",
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
    """wrk on the site's pages, as each kind of reader, and on the bare app,
    taking turns; then logins one at a time, the workers' peak memory, and
    posting by many at once."""
    started_mb = site.resident_worker_memory_mb()
    reader = logged_in_visitor(site.url, "reader0", PASSWORD)
    headers = {"anonymous": BROWSER_ACCEPTS,
               "logged in": (*reader.browser_headers(), *BROWSER_ACCEPTS)}
    targets = {(name, kind): (site.url + path, headers[kind])
               for name, path in pages.items() for kind in READERS}
    targets["bare"] = (bare.url + "/", BROWSER_ACCEPTS)
    loads = loads_in_turns(targets, arguments)
    reading_mb = site.resident_worker_memory_mb()
    login_ms, post_ms = login_and_post_times(
        site.url, [f"reader{number}" for number in range(1, TIMED_LOGINS + 1)],
        PASSWORD, POSTS_PER_LOGIN)
    memory_mb = site.peak_worker_memory_mb()
    resident_mb = site.resident_worker_memory_mb()
    posts_per_second, post_failures = concurrent_posting(
        site.url, [f"reader{number}" for number in range(1, POSTERS + 1)], PASSWORD,
        POSTS_PER_POSTER)
    return {
        "bare": loads.pop("bare"), "loads": loads,
        "started_mb": started_mb, "reading_mb": reading_mb, "memory_mb": memory_mb,
        "resident_mb": resident_mb,
        "login_ms": login_ms, "post_ms": post_ms,
        "posts_per_second": posts_per_second, "post_failures": post_failures,
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


def print_header(arguments):
    load_1, load_5, _ = os.getloadavg()
    cache = "off" if arguments.no_page_cache else "on"
    print(f"# Scratchpad on {arguments.db}, page cache {cache}: {os.cpu_count()} CPU cores, "
          f"load average {load_1:.1f}/{load_5:.1f} before the run; gunicorn {WORKERS} sync "
          f"workers; wrk -t{arguments.threads} -c{arguments.connections} "
          f"-d{arguments.duration}s, median of {arguments.rounds} rounds, every request "
          f"with a browser's {' and '.join(BROWSER_ACCEPTS)}; {COMMENTERS} commenters\n")
    print("| comments | page | reader | req/s | p50 ms | p99 ms | of bare req/s | RSS/worker "
          "(reading) | SQL/page | in-process ms | errors |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)


def print_rows(result):
    for (name, kind), load in result["loads"].items():
        statements = result["statements"][name][READERS.index(kind)]
        in_process_ms = result["in_process_ms"][name][READERS.index(kind)]
        print(f"| {result['size']:,} | {name} | {kind} | {load.requests_per_second:.0f} | "
              f"{load.p50_ms:.1f} | {load.p99_ms:.1f} | "
              f"{load.requests_per_second / result['bare'].requests_per_second:.0%} | "
              f"{result['reading_mb']:.0f} MB | {statements} | {in_process_ms:.1f} | "
              f"{load.failures} |", flush=True)


def print_details(results):
    print(f"\n| comments | bare app req/s | bare p99 ms | login (median of {TIMED_LOGINS}) | "
          f"posting a comment (median) | RSS/worker at start | "
          f"peak RSS/worker with {TIMED_LOGINS} logins | "
          f"RSS/worker after them | "
          f"comments/s stored, {POSTERS} posters at once | failed posts |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        bare = result["bare"]
        print(f"| {result['size']:,} | {bare.requests_per_second:.0f} | {bare.p99_ms:.1f} | "
              f"{result['login_ms']:.0f} ms | {result['post_ms']:.0f} ms | "
              f"{result['started_mb']:.0f} MB | {result['memory_mb']:.0f} MB | "
              f"{result['resident_mb']:.0f} MB | "
              f"{result['posts_per_second']:.0f} | "
              f"{result['post_failures']} |")
    print(f"\nThe deep page's statements for a logged-in reader at {results[-1]['size']:,} "
          "comments, and their plans:")
    for statement, plan in results[-1]["plans"]:
        print("    " + " ".join(statement.split())[:110] + " …")
        for line in plan:
            print(f"        {line}")


def print_targets(results):
    smallest, largest = results[0], results[-1]
    print(f"\nTargets ({os.cpu_count()} CPU cores):")

    def verdict(met):
        return "met" if met else "NOT met"

    for target in largest["loads"]:
        ratio = (largest["loads"][target].requests_per_second
                 / smallest["loads"][target].requests_per_second)
        print(f"- {' '.join(target)} at {largest['size']:,} comments: {ratio:.0%} of the "
              f"{smallest['size']:,}-comment req/s (within {TARGET_SIZE_SPREAD:.0%}: "
              f"{verdict(abs(1 - ratio) <= TARGET_SIZE_SPREAD)})")
    for kind in READERS:
        loads = [(result, load) for result in results
                 for (_, load_kind), load in result["loads"].items() if load_kind == kind]
        worst_ratio = min(load.requests_per_second / result["bare"].requests_per_second
                          for result, load in loads)
        worst_p99 = max(load.p99_ms for _, load in loads)
        print(f"- {kind} pages, lowest share of the bare app's req/s: {worst_ratio:.0%} (at "
              f"least {TARGET_BARE_RATIO[kind]:.0%}: "
              f"{verdict(worst_ratio >= TARGET_BARE_RATIO[kind])}); highest p99: "
              f"{worst_p99:.1f} ms (under {TARGET_P99_MS} ms: {verdict(worst_p99 < TARGET_P99_MS)})")
    most_statements = max(count for result in results
                          for counts in result["statements"].values() for count in counts)
    print(f"- most SQL statements on a page: {most_statements} (at most {TARGET_STATEMENTS}: "
          f"{verdict(most_statements <= TARGET_STATEMENTS)})")
    peak = max(result["memory_mb"] for result in results)
    after_logins = max(result["resident_mb"] for result in results)
    print(f"- resident memory per worker after {TIMED_LOGINS} logins: {after_logins:.0f} MB "
          f"(under {TARGET_WORKER_MB} MB: {verdict(after_logins < TARGET_WORKER_MB)}); its peak "
          f"while logging them in: {peak:.0f} MB")
    print(f"- a login: {max(result['login_ms'] for result in results):.0f} ms at most (median)")
    print(f"- posting, {POSTERS} at once: {min(r['posts_per_second'] for r in results):.0f} "
          "comments/s at least, every one stored: "
          f"{verdict(all(r['post_failures'] == 0 for r in results))}")


def print_threads(flat, threaded):
    """The threaded first page beside the flat one, each as a share of the
    bare app's req/s measured in the same run."""
    for kind in READERS:
        flat_ratio = (flat["loads"][("first", kind)].requests_per_second
                      / flat["bare"].requests_per_second)
        threaded_ratio = (threaded["loads"][("threads", kind)].requests_per_second
                          / threaded["bare"].requests_per_second)
        statements = threaded["statements"]["threads"][READERS.index(kind)]
        near = abs(threaded_ratio - flat_ratio) <= TARGET_SIZE_SPREAD * flat_ratio
        print(f"- {kind}, first page of {THREADS} threads with {REPLIES_PER_THREAD} replies "
              f"each: {threaded_ratio:.0%} of the bare app's req/s, beside {flat_ratio:.0%} for "
              f"the flat first page ({statements} statements; within {TARGET_SIZE_SPREAD:.0%} "
              f"of the flat ratio: {'met' if near else 'NOT met'})")


def main():
    arguments = parse_arguments()
    require_wrk()
    started = time.monotonic()
    print_header(arguments)
    results = []
    with database_and_bare_app(arguments) as (database, bare, logs):
        for size in arguments.sizes:
            results.append(measure_size(size, database, bare, arguments, logs))
            print_rows(results[-1])
        database.add_threads(THREADS, REPLIES_PER_THREAD)
        threaded = measure_pages(results[-1]["size"], {"threads": "/"}, database, bare,
                                 arguments, logs)
        print_rows(threaded)
    print_details(results)
    print_targets(results)
    print_threads(results[-1], threaded)
    print(f"\n(run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
