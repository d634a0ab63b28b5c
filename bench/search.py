"""The search page's speed as the table grows, beside the board's first page
and a bare Flask app.

    .venv/bin/python -m bench.search --db sqlite --sizes 1000,1000000

For each size: seeds the comments (bench/database.py: every comment reads
"Scratchpad benchmark comment N: a paragraph of ordinary length, …"), then
measures, in-process (one request at a time, no HTTP) and served by gunicorn
under wrk, the board's first page and these searches:

- one match: two words, one in every comment and one in a single comment
  ("comment 500"), the worst mix for an index that reads whole word lists;
- every comment: a word in every comment ("paragraph"), first page;
- the last page: the same word, ``before=`` 60 comments from the oldest;
- no match: a word in no comment.

It prints requests/s, p50/p99 latency and the share of the bare app's
requests/s, the in-process median time and the SQL statements of each page,
and the plans of the searches' statements. Target: every search answers
in-process in under TARGET_MS at every size. Needs wrk.
"""
import os
import time

from .load import BROWSER_ACCEPTS, loads_in_turns, require_wrk
from .options import benchmark_parser, parsed
from .queries import PageStatements
from .servers import WORKERS, MeasuredServer, database_and_bare_app

TARGET_MS = 50
DEEP_PAGE_OFFSET = 60


def parse_arguments():
    return parsed(benchmark_parser(__doc__, duration=3))


def site_environment(database):
    return {
        "DATABASE_URL": database.url,
        "SECRET_KEY": "benchmark secret key " + "x" * 32,
        # Every search of the benchmark comes from one address.
        "SCRATCHPAD_SEARCH_LIMITS_PER_ADDRESS": "1000000 per minute",
    }


def pages_for(size, database):
    oldest = database.oldest_comment_id()
    return {
        "board": "/",
        "search: one match": f"/search?q=comment+{size // 2}",
        "search: every comment": "/search?q=paragraph",
        "search: the last page": f"/search?q=paragraph&before={oldest + DEEP_PAGE_OFFSET}",
        "search: no match": "/search?q=nowhere",
    }


def measure_in_process(database, pages):
    server = PageStatements(database.app, page_cache=True)
    server.app.config["SEARCH_LIMITS_PER_ADDRESS"] = "1000000 per minute"
    try:
        for path in pages.values():
            server.statements(path)
        statements = {name: server.statements(path) for name, path in pages.items()}
        milliseconds = {name: server.median_ms(path, repeats=20) for name, path in pages.items()}
        plans = {name: [(statement, server.plan(statement, parameters))
                        for statement, parameters in statements[name]]
                 for name in pages if name.startswith("search")}
    finally:
        server.close()
    return {"statements": {name: len(found) for name, found in statements.items()},
            "in_process_ms": milliseconds, "plans": plans}


def measure_served(site, bare, pages, arguments):
    targets = {name: (site.url + path, BROWSER_ACCEPTS) for name, path in pages.items()}
    targets["bare"] = (bare.url + "/", BROWSER_ACCEPTS)
    return loads_in_turns(targets, arguments)


def measure_size(size, database, bare, arguments, logs):
    database.fill_to(size)
    pages = pages_for(size, database)
    result = {"size": size, **measure_in_process(database, pages)}
    site = MeasuredServer("wsgi:application", site_environment(database),
                          logs / f"site-{size}.log")
    try:
        result["loads"] = measure_served(site, bare, pages, arguments)
    finally:
        site.stop()
    return result


def print_header(arguments):
    load_1, load_5, _ = os.getloadavg()
    print(f"# Search on {arguments.db}: {os.cpu_count()} CPU cores, load average "
          f"{load_1:.1f}/{load_5:.1f} before the run; gunicorn {WORKERS} sync workers; "
          f"wrk -t{arguments.threads} -c{arguments.connections} -d{arguments.duration}s, "
          f"median of {arguments.rounds} rounds; every page asked for as a browser "
          f"asks ({' and '.join(BROWSER_ACCEPTS)})\n")
    print("| comments | page | req/s | p50 ms | p99 ms | of bare req/s | SQL/page | "
          "in-process ms | errors |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|", flush=True)


def print_rows(result):
    bare = result["loads"]["bare"]
    for name, load in result["loads"].items():
        if name == "bare":
            continue
        print(f"| {result['size']:,} | {name} | {load.requests_per_second:.0f} | "
              f"{load.p50_ms:.1f} | {load.p99_ms:.1f} | "
              f"{load.requests_per_second / bare.requests_per_second:.0%} | "
              f"{result['statements'][name]} | {result['in_process_ms'][name]:.1f} | "
              f"{load.failures} |", flush=True)
    print(f"| {result['size']:,} | bare app | {bare.requests_per_second:.0f} | "
          f"{bare.p50_ms:.1f} | {bare.p99_ms:.1f} | 100% | | | {bare.failures} |", flush=True)


def print_plans(result):
    print(f"\nThe searches' statements at {result['size']:,} comments, and their plans:")
    for name, statements in result["plans"].items():
        print(f"  {name}:")
        for statement, plan in statements:
            print("    " + " ".join(statement.split())[:150] + " …")
            for line in plan:
                print(f"        {line}")


def print_targets(results):
    print(f"\nTarget: every search answers in-process in under {TARGET_MS} ms:")
    for result in results:
        for name, milliseconds in result["in_process_ms"].items():
            if name.startswith("search"):
                verdict = "met" if milliseconds < TARGET_MS else "NOT met"
                print(f"- {result['size']:,} comments, {name}: {milliseconds:.1f} ms ({verdict}); "
                      f"the board's first page: {result['in_process_ms']['board']:.1f} ms")


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
    print_plans(results[-1])
    print_targets(results)
    print(f"\n(run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
