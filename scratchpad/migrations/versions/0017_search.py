"""Comments can be searched: each engine's own full-text index over their
text, filled with the comments already there.

- SQLite: an FTS5 table, ``comments_search``, over ``comments.content``
  (external content: it keeps only the index), kept current by triggers.
  SQLite drops a table's triggers with the table: a later migration that
  rebuilds ``comments`` in batch mode must create them again.
- MariaDB/MySQL: a FULLTEXT index (InnoDB) on ``comments.content``.
- PostgreSQL: a GIN index on the comment's ``tsvector`` ('simple'
  configuration: no stemming, no stop words), an expression the queries
  repeat word for word (scratchpad/search/engines.py).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

INDEX_NAME = "ix_comments_search"
# Dots, at signs, slashes and colons join words into one token in
# PostgreSQL's parser (example.com, bob@example.org, a/b), which also skips
# whatever looks like an HTML tag or entity (<b>, &amp;): made spaces, a word
# is a run of letters and digits there as on the other engines.
POSTGRESQL_DOCUMENT = "to_tsvector('simple', translate(content, '.@/:<>&', '       '))"

SQLITE_TABLE = """
CREATE VIRTUAL TABLE comments_search USING fts5(
    content, content='comments', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2')
"""
SQLITE_TRIGGERS = (
    """CREATE TRIGGER comments_search_insert AFTER INSERT ON comments BEGIN
        INSERT INTO comments_search (rowid, content) VALUES (new.id, new.content);
    END""",
    """CREATE TRIGGER comments_search_delete AFTER DELETE ON comments BEGIN
        INSERT INTO comments_search (comments_search, rowid, content)
            VALUES ('delete', old.id, old.content);
    END""",
    """CREATE TRIGGER comments_search_update AFTER UPDATE OF content ON comments BEGIN
        INSERT INTO comments_search (comments_search, rowid, content)
            VALUES ('delete', old.id, old.content);
        INSERT INTO comments_search (rowid, content) VALUES (new.id, new.content);
    END""",
)
SQLITE_TRIGGER_NAMES = ("comments_search_insert", "comments_search_delete",
                        "comments_search_update")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_TABLE)
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        # The comments already on the board.
        op.execute("INSERT INTO comments_search (comments_search) VALUES ('rebuild')")
    elif dialect == "mysql":
        op.create_index(INDEX_NAME, "comments", ["content"], mysql_prefix="FULLTEXT")
    elif dialect == "postgresql":
        op.create_index(INDEX_NAME, "comments", [sa.text(POSTGRESQL_DOCUMENT)],
                        postgresql_using="gin")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE comments_search")
    else:
        op.drop_index(INDEX_NAME, table_name="comments")
