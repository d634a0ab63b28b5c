"""A ``flask`` command stopped by its settings or its database says in one
line what is wrong and what to do, exits 1, and shows no traceback unless
asked for with ``--debug``."""
import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from support.site_processes import REPOSITORY, free_port

from .engines import server_url

SECRET_KEY = "command errors test key, long enough for production"


def flask(*arguments, debug=False, **settings):
    environment = {**os.environ, "SECRET_KEY": SECRET_KEY, **settings}
    return subprocess.run([sys.executable, "-m", "flask", *(["--debug"] if debug else []),
                           "--app", "scratchpad", *arguments],
                          cwd=REPOSITORY, env=environment, capture_output=True, text=True,
                          timeout=60)


def assert_one_line(result, *words):
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_an_unencoded_at_sign_in_the_password(tmp_path):
    result = flask("users", "list", DATABASE_URL="mysql://ann:p@ss@127.0.0.1:3306/board")
    assert_one_line(result, "has an @ in its password", "%40 for @")


@pytest.mark.parametrize("scheme", ["mysql", "postgresql"])
def test_a_server_that_is_not_there(scheme):
    port = free_port()
    result = flask("db", "upgrade", DATABASE_URL=f"{scheme}://ann:secret@127.0.0.1:{port}/board")
    assert_one_line(result, f"The database server at 127.0.0.1:{port} cannot be reached",
                    "is it running")
    assert "secret" not in result.stderr


def test_a_url_of_no_engine_the_site_knows():
    assert_one_line(flask("users", "list", DATABASE_URL="sqlite3:///board.db"),
                    "DATABASE_URL is not a database URL this site can use", "sqlite:///PATH")


def test_a_sqlite_file_in_a_folder_that_is_not_there(tmp_path):
    missing = tmp_path / "no such folder" / "board.sqlite"
    assert_one_line(flask("backup", str(tmp_path / "copy"), DATABASE_URL=f"sqlite:///{missing}"),
                    "cannot be opened", "its folder exists")


@pytest.mark.parametrize("name, value, words", [
    ("SCRATCHPAD_REGISTRATION", "bogus", "REGISTRATION must be one of closed, invite, open"),
    ("SCRATCHPAD_LANGUAGE", "fr", "SCRATCHPAD_LANGUAGE is 'fr'"),
    ("SCRATCHPAD_EDIT_WINDOW", "-5", "EDIT_WINDOW must be a number, 0 or more"),
])
def test_a_bad_setting(tmp_path, name, value, words):
    result = flask("users", "list", DATABASE_URL=f"sqlite:///{tmp_path / 'board.sqlite'}",
                   **{name: value})
    assert_one_line(result, words)


def test_debug_keeps_the_traceback():
    result = flask("users", "list", debug=True, DATABASE_URL="sqlite3:///board.db")
    assert result.returncode == 1 and "Traceback (most recent call last)" in result.stderr


def wrong(url, **parts):
    return make_url(url).set(**parts).render_as_string(hide_password=False)


@pytest.mark.parametrize("engine", ["mysql-pymysql", "postgresql"])
def test_a_wrong_user_or_password_and_a_database_not_there(engine):
    url = server_url(engine)
    result = flask("users", "list", DATABASE_URL=wrong(url, username="nobody",
                                                       password="wrong"))
    assert_one_line(result, "refused the user 'nobody'", "check the user and password")
    result = flask("users", "list", DATABASE_URL=wrong(url, database="no_such_board"))
    assert_one_line(result, "There is no database 'no_such_board'")


def test_a_backup_of_the_tutorials_database_before_its_upgrade(tmp_path):
    """The README says to back up before adopting: the copy is made as a file."""
    tutorial = tmp_path / "tutorial.sqlite"
    with sqlite3.connect(tutorial) as connection:
        connection.execute("CREATE TABLE comments (id INTEGER PRIMARY KEY, content VARCHAR(4096))")
    result = flask("backup", str(tmp_path / "copy"), DATABASE_URL=f"sqlite:///{tutorial}")
    assert_one_line(result, "is not a Scratchpad board of this version yet",
                    "the SQLite file with cp", "db upgrade")
    assert not (tmp_path / "copy").exists()
