"""Keeping a board's database whole over time: adopting databases made before
this project's migrations."""
from . import adoption  # noqa: F401  (registers the adoption step of `flask db upgrade`)
