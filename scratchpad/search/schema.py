"""The search index's objects in the database, which the models do not
describe (each engine has its own, made by migration 0015): `flask db
migrate` and the schema comparison leave them alone."""

SQLITE_TABLE = "comments_search"  # FTS5 keeps its data in comments_search_* tables
INDEX_NAME = "ix_comments_search"  # MariaDB/MySQL and PostgreSQL


def outside_the_models(name, type_, parent_names):
    """Alembic's include_name hook: False for the search index's objects."""
    if type_ == "table":
        return not (name == SQLITE_TABLE or name.startswith(SQLITE_TABLE + "_"))
    if type_ == "index":
        return name != INDEX_NAME
    return True
