"""One question, three full-text indexes: the comments a reader may see that
hold every word, newest first, older than a cursor.

- SQLite: the FTS5 table ``comments_search``, read in rowid order from the
  newest down, so a page costs the same however many comments match.
- MariaDB/MySQL: the FULLTEXT index in boolean mode, ``+word`` for each word.
  InnoDB can only index words of ``innodb_ft_min_token_size`` to
  ``innodb_ft_max_token_size`` characters that are not stop words; ``+`` on
  any other word matches nothing, so such words are left out of the search
  (and the page names them). InnoDB also reads every comment holding a word
  before it orders or limits them, which takes seconds for a word in most of
  a million comments; so the newest RECENT_WINDOW comments before the cursor
  are first matched word by word with REGEXP (a primary-key range scan that
  stops at a page's worth), and the index is asked only for what lies below
  them, and only for the words that are rare among them: a page of a common
  word is found in the window, and the common words of a search that also
  has rare ones are checked with REGEXP on the few comments the index finds.
- PostgreSQL: a GIN index on the comment's ``tsvector`` in the 'simple'
  configuration (migration 0015), which the query names by repeating its
  expression exactly. GIN cannot give its matches in id order, so likewise
  the newest POSTGRESQL_RECENT_WINDOW comments before the cursor are tested
  one by one first, and the index is asked for the older matches only when
  they did not fill the page (it intersects a rare word's list with a common
  one's cheaply).
"""
import re
from collections import defaultdict
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import mysql

from ..extensions import db
from ..models import Comment
from .words import word_key

SQLITE_INDEX = sa.table("comments_search", sa.column("rowid", sa.Integer),
                        sa.column("comments_search"))
# Exactly the expression of the index made by migration 0015.
POSTGRESQL_DOCUMENT = sa.literal_column(
    "to_tsvector('simple', translate(comments.content, '.@/:<>&', '       '))")
POSTGRESQL_CONFIGURATION = sa.literal_column("'simple'")
RECENT_WINDOW = 5000
# PostgreSQL parses each comment's text to test it without the index.
POSTGRESQL_RECENT_WINDOW = 1000
# A word held by this many of the RECENT_WINDOW comments (0.2%) is common:
# InnoDB would read a long list of comments for it.
COMMON_IN_WINDOW = 10

# InnoDB's built-in stop words, used when the server's list cannot be read
# (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD needs the PROCESS privilege).
INNODB_DEFAULT_STOPWORDS = frozenset(
    "a about an are as at be by com de en for from how i in is it la of on or that the this "
    "to was what when where who will with und www".split())


class InnoDBWords(NamedTuple):
    """Which words a MariaDB/MySQL server's FULLTEXT index holds."""
    min_length: int
    max_length: int
    stopwords: frozenset

    def indexes(self, word):
        return (self.min_length <= len(word) <= self.max_length
                and word.casefold() not in self.stopwords)


def innodb_words(connection):
    """The server's rules, read once per process and database."""
    known = current_app.extensions.setdefault("scratchpad_search_innodb_words", {})
    key = connection.engine.url.render_as_string(hide_password=True)
    if key not in known:
        min_length, max_length, enabled, user_table, server_table = connection.exec_driver_sql(
            "SELECT @@innodb_ft_min_token_size, @@innodb_ft_max_token_size, "
            "@@innodb_ft_enable_stopword, @@innodb_ft_user_stopword_table, "
            "@@innodb_ft_server_stopword_table").one()
        stopwords = frozenset()
        if enabled:
            stopwords = read_stopwords(connection, user_table or server_table)
        known[key] = InnoDBWords(int(min_length), int(max_length), stopwords)
    return known[key]


def read_stopwords(connection, table):
    """The stop words of the table the server names (``db/table``), or its default list."""
    if table:
        schema, _, name = table.partition("/")
        query = sa.select(sa.column("value")).select_from(sa.table(name, schema=schema))
    else:
        query = sa.select(sa.column("value")).select_from(
            sa.table("INNODB_FT_DEFAULT_STOPWORD", schema="information_schema"))
    try:
        with connection.begin_nested():
            return frozenset(str(word).casefold() for word in connection.scalars(query))
    except sa.exc.DBAPIError:
        return INNODB_DEFAULT_STOPWORDS


def searchable(words):
    """``(searched, left_out)``: the words this database's index can find, and
    the others (only ever on MariaDB/MySQL)."""
    connection = db.session.connection()
    if connection.dialect.name != "mysql":
        return list(words), []
    rules = innodb_words(connection)
    return ([word for word in words if rules.indexes(word)],
            [word for word in words if not rules.indexes(word)])


def shown_in_full_to(viewer):
    """The comments whose text ``viewer`` reads (Comment.is_shown_in_full_to):
    hidden and held ones only their authors and the administrators."""
    if viewer.is_authenticated and viewer.is_admin:
        return sa.true()
    public = sa.and_(sa.not_(Comment.is_hidden), sa.not_(Comment.is_held))
    if viewer.is_authenticated:
        return sa.or_(public, Comment.commenter_id == viewer.id)
    return public


def matching_comments(words, viewer, before=None, limit=20):
    """Up to ``limit`` comments holding every one of ``words`` (all
    searchable), that ``viewer`` may read, with ids below ``before``, newest
    first, each with its author."""
    if not words:
        return []
    query = (sa.select(Comment).options(sa.orm.joinedload(Comment.commenter))
             .where(shown_in_full_to(viewer)).limit(limit))
    dialect = db.session.connection().dialect.name
    if dialect == "sqlite":
        return sqlite_matches(query, words, before)
    if dialect == "mysql":
        return mysql_matches(query, words, before, limit)
    if dialect == "postgresql":
        return postgresql_matches(query, words, before, limit)
    raise NotImplementedError(f"No full-text search on {dialect}")


def sqlite_matches(query, words, before):
    # Each word a quoted string: FTS5 reads no operator in it.
    expression = " ".join(f'"{word}"' for word in words)
    query = (query.join(SQLITE_INDEX, SQLITE_INDEX.c.rowid == Comment.id)
             .where(SQLITE_INDEX.c.comments_search.match(expression))
             .order_by(SQLITE_INDEX.c.rowid.desc()))
    if before is not None:
        query = query.where(SQLITE_INDEX.c.rowid < before)
    return db.session.scalars(query).all()


def letters_with_accents():
    """Each letter (as word_key leaves it) and the letters that differ from it
    only by accents: "e" and "éèêëē…". The FULLTEXT index compares words so
    (utf8mb4_unicode_ci), and so must REGEXP."""
    forms = defaultdict(set)
    for code in range(0x80, 0x2000):
        character = chr(code)
        key = word_key(character)
        if len(key) == 1 and key != character:
            forms[key].add(character)
    return {key: "".join(sorted(characters)) for key, characters in forms.items()}


ACCENTED = letters_with_accents()


def word_pattern(word):
    """REGEXP for ``word`` standing alone, as InnoDB's parser cuts words, in
    any case and with or without accents."""
    letters = "".join(f"[{re.escape(letter)}{ACCENTED.get(letter, '')}]"
                      for letter in word_key(word))
    return rf"(?i)(?<![\p{{L}}\p{{N}}_]){letters}(?![\p{{L}}\p{{N}}_])"


def mysql_matches(query, words, before, limit):
    query = query.order_by(Comment.id.desc())
    # A cursor past the newest comment starts the window at the newest.
    ceiling = (db.session.scalar(sa.select(sa.func.max(Comment.id))) or 0) + 1
    if before is not None:
        ceiling = min(ceiling, before)
    floor = ceiling - RECENT_WINDOW
    recent = db.session.scalars(query.where(
        Comment.id < ceiling, Comment.id >= floor,
        *(Comment.content.regexp_match(word_pattern(word)) for word in words))).all()
    if len(recent) == limit or floor <= 1:
        return recent
    # Only the words that are rare among the recent comments are looked up in
    # the index; the common ones are checked with REGEXP on what it finds.
    counts = {word: recent_count(word, floor, ceiling) for word in words} if len(words) > 1 else {}
    looked_up = ([word for word in words if counts.get(word, 0) < COMMON_IN_WINDOW]
                 or [min(words, key=counts.get)])
    against = " ".join(f"+{word}" for word in looked_up)
    older = db.session.scalars(query.where(
        Comment.id < floor,
        mysql.match(Comment.content, against=against).in_boolean_mode(),
        *(Comment.content.regexp_match(word_pattern(word))
          for word in words if word not in looked_up),
    ).limit(limit - len(recent))).all()
    return recent + older


def recent_count(word, floor, ceiling):
    """How many of the comments in the window hold ``word``, counted up to
    COMMON_IN_WINDOW: a common word stops the count early."""
    holding = (sa.select(Comment.id)
               .where(Comment.id < ceiling, Comment.id >= floor,
                      Comment.content.regexp_match(word_pattern(word)))
               .order_by(Comment.id.desc()).limit(COMMON_IN_WINDOW))
    return db.session.scalar(sa.select(sa.func.count()).select_from(holding.subquery()))


def postgresql_matches(query, words, before, limit):
    matches = POSTGRESQL_DOCUMENT.op("@@")(
        sa.func.plainto_tsquery(POSTGRESQL_CONFIGURATION, " ".join(words)))
    query = query.order_by(Comment.id.desc())
    ceiling = (db.session.scalar(sa.select(sa.func.max(Comment.id))) or 0) + 1
    if before is not None:
        ceiling = min(ceiling, before)
    floor = ceiling - POSTGRESQL_RECENT_WINDOW
    recent = db.session.scalars(
        query.where(Comment.id < ceiling, Comment.id >= floor, matches)).all()
    if len(recent) == limit or floor <= 1:
        return recent
    # The index finds every older match first, then they are ordered: the
    # planner, left to itself, walks the ids down from the newest testing
    # each comment's text, which for a rare word means the whole table.
    found = sa.select(Comment.id).where(Comment.id < floor, matches).cte(
        "found").prefix_with("MATERIALIZED")
    newest_found = sa.select(found.c.id).order_by(found.c.id.desc()).limit(limit - len(recent))
    older = db.session.scalars(query.where(Comment.id.in_(newest_found))).all()
    return recent + older
