"""What the migrations need of the rows, checked before ``flask db upgrade``
changes anything.

On MariaDB/MySQL every schema change commits at once, so an upgrade that
failed in its third step would leave the first two applied. Instead, each
step that needs something of the rows has a check here, run on the database
as it is; if any finds rows in the way, the upgrade is refused, naming them,
and nothing is changed. (On PostgreSQL and SQLite the whole upgrade is also
one transaction: a step that fails anyway leaves the starting revision.)

A check is a function of the connection returning one line per row to fix,
registered with the revision that needs it::

    @check("0005", "usernames used twice", "Give each account a name of its own …")
    def duplicate_usernames(connection): ...
"""
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from alembic.util import CommandError

from ..accounts.usernames import username_key

README_SECTION = 'the README, section "When things go wrong: rows in the way of an upgrade"'
MYSQL_COLLATION = "utf8mb4_unicode_ci"
SHOWN_ROWS = 20


@dataclass(frozen=True)
class Check:
    needed_by: str  # the revision that fails on such rows
    problem: str
    fix: str
    tables: tuple
    find: Callable


CHECKS = []


def check(needed_by, problem, fix, tables=("users",)):
    def register(find):
        CHECKS.append(Check(needed_by, problem, fix, tables, find))
        return find
    return register


class UpgradeRefused(CommandError):
    """Rows stand in the way of a later step; nothing was changed."""


def rows(connection, query, **parameters):
    return connection.execute(sa.text(query), parameters).all()


@check("0005", "accounts without a username or password hash",
       "give each a username and a password hash, or delete the account")
def accounts_missing_a_value(connection):
    return [f"users.id {user_id}" for (user_id,) in rows(
        connection, "SELECT id FROM users WHERE username IS NULL OR password_hash IS NULL"
        " ORDER BY id")]


@check("0005", "usernames longer than 128 characters or password hashes longer than 256",
       "shorten them (a password can be set again with `flask users set-password`)")
def values_too_long(connection):
    return [f"users.id {user_id}" for (user_id,) in rows(
        connection, "SELECT id FROM users WHERE LENGTH(username) > 128"
        " OR LENGTH(password_hash) > 256 ORDER BY id")]


@check("0005", "usernames used by more than one account",
       "rename all but one of each (UPDATE users SET username = … WHERE id = …), or delete them")
def duplicate_usernames(connection):
    return [f"{name!r}: users.id {ids}" for name, ids in rows(
        connection, "SELECT MIN(username), " + id_list(connection) + " FROM users"
        " WHERE username IS NOT NULL GROUP BY username HAVING COUNT(*) > 1")]


@check("0007", f"usernames that become one name under MySQL's {MYSQL_COLLATION}",
       "rename all but one of each: the names differ only in accents or letter case, which "
       "utf8mb4_unicode_ci does not tell apart")
def usernames_equal_under_the_new_collation(connection):
    if connection.dialect.name != "mysql" or not converted_by_0007(connection):
        return []
    return [f"{name!r}: users.id {ids}" for name, ids in rows(
        connection, "SELECT MIN(username), " + id_list(connection) + " FROM users"
        f" WHERE username IS NOT NULL GROUP BY CONVERT(username USING utf8mb4) COLLATE"
        f" {MYSQL_COLLATION} HAVING COUNT(DISTINCT username) > 1")]


@check("0007", "comments naming a commenter that does not exist",
       "set their commenter_id to NULL (they will show as by Anonymous Coward), or restore "
       "the missing accounts", tables=("users", "comments"))
def orphaned_commenter_ids(connection):
    columns = {column["name"] for column in sa.inspect(connection).get_columns("comments")}
    if "commenter_id" not in columns:
        return []  # comments have no commenters yet
    return [f"comments.id {comment_id} (commenter_id {commenter_id})"
            for comment_id, commenter_id in rows(
                connection, "SELECT id, commenter_id FROM comments WHERE commenter_id IS NOT NULL"
                " AND commenter_id NOT IN (SELECT id FROM users) ORDER BY id")]


@check("0011", "usernames that become one name ignoring letter case and width",
       "rename all but one of each with `flask users rename OLD NEW`")
def usernames_equal_ignoring_case(connection):
    ids_by_key = defaultdict(list)
    for user_id, username in rows(connection, "SELECT id, username FROM users"
                                  " WHERE username IS NOT NULL ORDER BY id"):
        ids_by_key[username_key(username)].append((user_id, username))
    return [", ".join(f"{username!r} (users.id {user_id})" for user_id, username in users)
            for users in ids_by_key.values() if len(users) > 1]


def id_list(connection):
    if connection.dialect.name == "postgresql":
        return "STRING_AGG(CAST(id AS TEXT), ', ' ORDER BY id)"
    if connection.dialect.name == "mysql":
        return "GROUP_CONCAT(id ORDER BY id SEPARATOR ', ')"
    return "GROUP_CONCAT(id, ', ')"


def converted_by_0007(connection):
    """Whether 0007 will convert the users table (it is not utf8mb4_unicode_ci yet)."""
    return bool(rows(connection, "SELECT 1 FROM information_schema.COLUMNS"
                     " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users'"
                     " AND COLLATION_NAME IS NOT NULL AND COLLATION_NAME != :collation",
                     collation=MYSQL_COLLATION))


def checks_for(start, revisions_in_order):
    """The checks of the steps an upgrade from ``start`` (None: nothing yet) will run."""
    later = (revisions_in_order[revisions_in_order.index(start) + 1:] if start
             else revisions_in_order)
    return [each for each in CHECKS if each.needed_by in later]


def refuse_rows_in_the_way(connection, start, revisions_in_order):
    """Raises UpgradeRefused naming every row a later step cannot take."""
    tables = set(sa.inspect(connection).get_table_names())
    found = []
    for each in checks_for(start, revisions_in_order):
        if not set(each.tables) <= tables:
            continue
        in_the_way = each.find(connection)
        if in_the_way:
            shown = in_the_way[:SHOWN_ROWS]
            more = len(in_the_way) - len(shown)
            found.append(f"- {each.problem} (step {each.needed_by} needs none): "
                         + "; ".join(shown) + (f"; and {more} more" if more else "")
                         + f". To fix: {each.fix}.")
    if found:
        raise UpgradeRefused(
            "The database was left unchanged: these rows stand in the way of the upgrade.\n"
            + "\n".join(found) + f"\nFix them and run `flask db upgrade` again; {README_SECTION} "
            "says how.")
