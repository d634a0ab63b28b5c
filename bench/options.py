"""The command-line options every benchmark shares: which engine, how many
comments, and how wrk loads each page."""
import argparse


def benchmark_parser(docstring, sizes="1000,1000000", duration=5):
    """A parser with the shared options; the first paragraph of the
    benchmark's ``docstring`` describes it."""
    parser = argparse.ArgumentParser(description=docstring.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "mysql", "postgresql"], default="sqlite")
    parser.add_argument("--server-url", help="the MariaDB/MySQL or PostgreSQL server to make a "
                        "throw-away database on (default: root@127.0.0.1:3306 or "
                        "postgres@127.0.0.1:5432)")
    parser.add_argument("--sizes", default=sizes,
                        help="comma-separated numbers of comments (default: %(default)s)")
    parser.add_argument("--duration", type=int, default=duration,
                        help="seconds of wrk per load and round (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="the loads and the bare app take "
                        "turns this many times; medians are shown (default: %(default)s)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    return parser


def parsed(parser):
    arguments = parser.parse_args()
    arguments.sizes = sorted(int(size) for size in arguments.sizes.split(","))
    return arguments
