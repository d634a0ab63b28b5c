"""The API's list of comments beside the board's page, as the table grows,
against a bare Flask app measured in the same run.

    .venv/bin/python -m bench.api --db sqlite --sizes 1000,1000000

For each size: seeds the comments, serves the site with gunicorn (the
repository's gunicorn.conf.py, 2 workers) beside the bare app, and loads, in
turns with wrk, the board's first and deep page (as an anonymous reader, whose
page is kept, and as a logged-in one, whose page is rendered), the API's first
and deep page of comments with a personal access token, and the bare app; it
prints requests/s, p50/p99 latency, each one's share of the bare app's
requests/s, and the SQL statements and in-process time of each. Needs wrk
(``apt-get install wrk``); loads only the loopback.
"""
import os
import statistics
import time

from scratchpad.api import tokens
from scratchpad.extensions import db
from scratchpad.models import User

from .database import PASSWORD
from .load import BROWSER_ACCEPTS, loads_in_turns, require_wrk
from .options import benchmark_parser, parsed
from .queries import PageStatements
from .run import DEEP_PAGE_OFFSET, site_environment
from .servers import WORKERS, MeasuredServer, database_and_bare_app
from .visits import logged_in_visitor

READER = "reader0"
TARGET_SIZE_SPREAD = 0.15


def parse_arguments():
    return parsed(benchmark_parser(__doc__))


def reader_token(database):
    with database.app.app_context():
        reader = db.session.scalar(db.select(User).where(User.username == READER))
        return tokens.issue(reader, "benchmark")[1]


def loads(pages, token, browser_headers):
    """(what, reader) -> (path, request headers). The board's readers ask as
    browsers do; the API's caller sends its token alone."""
    bearer = f"Authorization: Bearer {token}"
    logged_in = (*browser_headers, *BROWSER_ACCEPTS)
    return {
        ("board first", "anonymous"): (pages["first"], BROWSER_ACCEPTS),
        ("board first", "logged in"): (pages["first"], logged_in),
        ("board deep", "logged in"): (pages["deep"], logged_in),
        ("API first", "token"): ("/api/v1/comments", (bearer,)),
        ("API deep", "token"): (f"/api/v1/comments?before={pages['before']}", (bearer,)),
    }


def measure_in_process(database, targets, token):
    """Statements and median in-process milliseconds of each load, served
    by a test client as each kind of reader."""
    readers = {kind: PageStatements(database.app, page_cache=True)
               for kind in ("anonymous", "logged in", "token")}
    try:
        readers["logged in"].log_in(READER, PASSWORD)
        readers["token"].client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        results = {}
        for (what, kind), (path, _) in targets.items():
            reader = readers[kind]
            reader.statements(path)  # the first time fills the caches
            results[(what, kind)] = (len(reader.statements(path)), reader.median_ms(path))
        return results
    finally:
        for reader in readers.values():
            reader.close()


def measure_size(size, database, bare, token, arguments, logs):
    database.fill_to(size)
    oldest = database.oldest_comment_id()
    pages = {"first": "/", "deep": f"/?before={oldest + DEEP_PAGE_OFFSET}",
             "before": oldest + DEEP_PAGE_OFFSET}
    site = MeasuredServer("wsgi:application", {
        **site_environment(database, page_cache=True),
        # Every request here is the same reader's: the limit would measure itself.
        "SCRATCHPAD_API_LIMITS_PER_USER": "10000000 per minute",
    }, logs / f"site-{size}.log")
    try:
        reader = logged_in_visitor(site.url, READER, PASSWORD)
        targets = loads(pages, token, reader.browser_headers())
        in_process = measure_in_process(database, targets, token)
        urls = {target: (site.url + path, headers) for target, (path, headers) in targets.items()}
        urls["bare"] = (bare.url + "/", BROWSER_ACCEPTS)
        measured = loads_in_turns(urls, arguments)
    finally:
        site.stop()
    return {"size": size, "bare": measured.pop("bare"), "loads": measured,
            "in_process": in_process}


def print_rows(result):
    bare = result["bare"]
    for (what, reader), load in result["loads"].items():
        statements, milliseconds = result["in_process"][(what, reader)]
        print(f"| {result['size']:,} | {what} | {reader} | {load.requests_per_second:.0f} | "
              f"{load.p50_ms:.1f} | {load.p99_ms:.1f} | "
              f"{load.requests_per_second / bare.requests_per_second:.0%} | {statements} | "
              f"{milliseconds:.1f} | {load.failures} |", flush=True)
    print(f"| {result['size']:,} | bare app | | {bare.requests_per_second:.0f} | "
          f"{bare.p50_ms:.1f} | {bare.p99_ms:.1f} | 100% | | | {bare.failures} |", flush=True)


def print_comparison(results):
    print()
    for result in results:
        loads = result["loads"]
        for api, board in ((("API first", "token"), ("board first", "logged in")),
                           (("API deep", "token"), ("board deep", "logged in"))):
            ratio = loads[api].requests_per_second / loads[board].requests_per_second
            print(f"- {result['size']:,} comments: {api[0]} answers {ratio:.0%} of the "
                  f"requests/s of the {board[0]} page rendered for a logged-in reader")
    if len(results) > 1:
        smallest, largest = results[0], results[-1]
        for target in smallest["loads"]:
            ratio = (largest["loads"][target].requests_per_second
                     / smallest["loads"][target].requests_per_second)
            print(f"- {' '.join(target)} at {largest['size']:,} comments: {ratio:.0%} of its "
                  f"req/s at {smallest['size']:,} (within {TARGET_SIZE_SPREAD:.0%}: "
                  f"{'met' if abs(1 - ratio) <= TARGET_SIZE_SPREAD else 'NOT met'})")


def main():
    arguments = parse_arguments()
    require_wrk()
    started = time.monotonic()
    load_1, load_5, _ = os.getloadavg()
    print(f"# Scratchpad's API on {arguments.db}: {os.cpu_count()} CPU cores, load average "
          f"{load_1:.1f}/{load_5:.1f} before the run; gunicorn {WORKERS} sync workers; "
          f"wrk -t{arguments.threads} -c{arguments.connections} -d{arguments.duration}s, "
          f"median of {arguments.rounds} rounds; the board's pages and the bare app asked "
          f"for as a browser asks ({' and '.join(BROWSER_ACCEPTS)})\n")
    print("| comments | page | reader | req/s | p50 ms | p99 ms | of bare req/s | SQL | "
          "in-process ms | errors |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    results = []
    with database_and_bare_app(arguments) as (database, bare, logs):
        token = reader_token(database)
        for size in arguments.sizes:
            results.append(measure_size(size, database, bare, token, arguments, logs))
            print_rows(results[-1])
    print_comparison(results)
    print(f"\n(run took {time.monotonic() - started:.0f} s; medians: "
          f"{statistics.median(r['bare'].requests_per_second for r in results):.0f} bare req/s)")


if __name__ == "__main__":
    main()
