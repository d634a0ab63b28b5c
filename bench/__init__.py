"""Benchmarks: run with ``python -m bench.run``; never part of the test run."""
