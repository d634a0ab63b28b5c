"""What the tests and the benchmarks both use: throw-away databases, and the
site in processes of its own with visitors talking HTTP to it. Not part of
the package."""
