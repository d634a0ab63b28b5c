"""Ids in URLs: a number no row can have is 404 before the database is asked.

Ids are 32-bit integer columns on every engine; a larger number in a URL
would overflow the query's parameter (an error on PostgreSQL and SQLite)."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a non-negative number up to MAX_ID."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app):
    app.url_map.converters["int"] = IdConverter
