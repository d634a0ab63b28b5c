"""`flask export` / `flask import` move a whole board between any two engines
row for row; `flask backup` / `flask restore` copy a live board and put it
back, refusing a damaged file or a board with rows before changing anything."""
import json
import os
import threading
import time
import uuid
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.accounts.usernames import username_key
from scratchpad.maintenance.board_file import TABLES
from scratchpad.models import Comment, CommentReport, CommentRevision, SiteSetting, User
from support.site_processes import GunicornServer, Visitor

from .engines import ENGINES, ThrowAwayDatabase
from .helpers import PASSWORD, WebUser, create_user

pytestmark = pytest.mark.engines

SECRET_KEY = "backup test key, long enough for production"
# Every kind of value a board holds, at the edges of what each column takes.
TEXTS = ["Hello 😀 naïve Ωμέγα 中文", "x" * 4096, "<b>bold</b> & \"quoted\"", "two\nlines\r\n",
         "  spaces  ", ""]
MOVES = [("sqlite", "mysql-pymysql"), ("sqlite", "postgresql"), ("mysql-pymysql", "sqlite"),
         ("postgresql", "sqlite"), ("mysql-connector", "postgresql"),
         ("postgresql", "mysql-pymysql")]


def site(url):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY,
                       "RATELIMIT_ENABLED": False})


def upgraded(engine, tmp_path_factory):
    database = ThrowAwayDatabase(engine, tmp_path_factory)
    app = site(database.url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database, app


def fill_board(app):
    """Users of every kind and comments of every kind, with gaps in the ids."""
    bob = create_user(app, "bob")
    create_user(app, "admin", is_admin=True)
    gone = create_user(app, "gone")
    with app.app_context():
        carol = User(username="Carol 😀", username_key=username_key("Carol 😀"),
                     password_hash="pbkdf2:sha256:1$salt$hash", is_disabled=True,
                     created=datetime(2017, 9, 1, 17, 44, 0, 123456))
        db.session.add(carol)
        db.session.flush()
        for number, text in enumerate(TEXTS):
            db.session.add(Comment(content=text, commenter_id=[bob, carol.id, None][number % 3],
                                   posted=datetime(2024, 2, 29, 23, 59, 59, number * 111111)
                                   if number % 4 else None))
        db.session.add(Comment(content="to be deleted", commenter_id=bob))
        db.session.commit()
        thread = db.session.scalar(sa.select(sa.func.min(Comment.id)))
        db.session.add(Comment(content="A *reply*", rendered_html="<p>A <em>reply</em></p>",
                               parent_id=thread, commenter_id=bob,
                               posted=datetime(2024, 3, 1, 8, 0, 0, 654321),
                               edited_at=datetime(2024, 3, 1, 8, 5, 0, 1)))
        db.session.flush()
        reply = db.session.scalar(sa.select(sa.func.max(Comment.id)))
        db.session.add(CommentRevision(comment_id=reply, content="A reply, first draft",
                                       editor_id=bob, edited_at=datetime(2024, 3, 1, 8, 5)))
        db.session.add(CommentReport(comment_id=thread, reporter_id=bob, reason="Spam? 🥫",
                                     created=datetime(2024, 3, 2, 9, 0)))
        db.session.commit()
        db.session.execute(sa.delete(Comment).where(Comment.content == "to be deleted"))
        db.session.execute(sa.delete(User).where(User.id == gone))
        # The Settings page's choices are the board's too.
        db.session.add(SiteSetting(name="REGISTRATION", value="open"))
        db.session.commit()


def board_rows(app):
    """Every row of every table, column by column, in id order."""
    with app.app_context():
        with db.engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                        sa.select(table).order_by(*table.primary_key.columns))]
                    for table in TABLES}


def run(app, *arguments, input=None):
    result = app.test_cli_runner().invoke(args=list(arguments), input=input)
    return result.exit_code, result.output


@pytest.mark.parametrize("source_engine, target_engine", MOVES)
def test_a_board_moves_between_engines_row_for_row(source_engine, target_engine,
                                                    tmp_path_factory, tmp_path):
    source_db, source = upgraded(source_engine, tmp_path_factory)
    target_db, target = upgraded(target_engine, tmp_path_factory)
    try:
        fill_board(source)
        exported = tmp_path / "board.jsonl"
        assert run(source, "export", str(exported))[0] == 0
        code, output = run(target, "import", str(exported))
        assert code == 0, output
        assert ("Imported 3 users, 7 comments, 1 comment revisions, 1 comment reports, "
                "1 site settings." in output)
        assert board_rows(target) == board_rows(source)

        # The move goes on as the site: old passwords work, new ids follow the old.
        web = WebUser(target.test_client())
        assert web.login("bob", PASSWORD).status_code == 302
        assert web.post_comment("First on the new engine").status_code == 302
        ids = [row[0] for row in board_rows(target)["comments"]]
        assert ids[-1] > max(ids[:-1])
        assert create_user(target, "newcomer") > max(row[0] for row in board_rows(source)["users"])
    finally:
        for database, app in ((source_db, source), (target_db, target)):
            with app.app_context():
                db.engine.dispose()
            database.drop()


def test_export_to_standard_output_imports_from_standard_input(app):
    fill_board(app)
    result = app.test_cli_runner().invoke(args=["export", "-"])
    assert result.exit_code == 0
    exported = result.stdout
    header = json.loads(exported.splitlines()[0])
    assert header["format"] == "scratchpad-board"
    assert header["rows"] == {"users": 3, "comments": 7, "comment_revisions": 1,
                              "comment_reports": 1, "site_settings": 1}
    rows = board_rows(app)
    refused = run(app, "import", "-", input=exported)
    assert refused[0] == 1 and "not empty" in refused[1]
    with app.app_context():
        for table in reversed(TABLES):
            db.session.execute(sa.delete(table))
        db.session.commit()
    assert run(app, "import", "-", input=exported)[0] == 0
    assert board_rows(app) == rows


def test_settings_move_with_the_board_and_the_summary_says_what_does_not(app, tmp_path):
    fill_board(app)
    path = tmp_path / "board.jsonl"
    code, output = run(app, "export", str(path))
    assert code == 0 and "1 site settings" in output
    assert "Login sessions, API tokens and mailed links are not carried" in output
    with app.app_context():
        db.session.execute(sa.delete(SiteSetting))
        db.session.commit()
    assert app.test_client().get("/signup/").status_code == 404
    code, output = run(app, "restore", "--replace", str(path))
    assert code == 0 and "1 site settings" in output and "not carried" in output
    assert app.test_client().get("/signup/").status_code == 200  # sign-up is open again


def test_a_file_from_before_settings_were_carried_leaves_them_alone(app, tmp_path):
    fill_board(app)
    exported = app.test_cli_runner().invoke(args=["export", "-"]).stdout.splitlines()
    header = json.loads(exported[0])
    header["version"] = 1
    del header["rows"]["site_settings"]
    old = [json.dumps(header)] + [line for line in exported[1:]
                                  if json.loads(line)["table"] != "site_settings"]
    path = tmp_path / "version-1.jsonl"
    path.write_text("\n".join(old) + "\n")
    with app.app_context():
        db.session.get(SiteSetting, "REGISTRATION").value = "invite"
        db.session.commit()
    rows = board_rows(app)
    code, output = run(app, "restore", "--replace", str(path))
    assert code == 0, output
    assert board_rows(app) == rows


def without_header_line(text):
    return "\n".join(text.splitlines()[1:]) + "\n"


@pytest.mark.parametrize("damage, message", [
    (lambda text: text.rsplit("\n", 2)[0] + "\n", "incomplete or damaged"),
    (without_header_line, "not a Scratchpad board file"),
    (lambda text: text.replace('"version": 2', '"version": 99', 1), "version 99"),
    (lambda text: text.replace('"revision": "', '"revision": "x', 1), "revision"),
    (lambda text: text + "{not json\n", "Line"),
    (lambda text: text + "[" * 5000 + "]" * 5000 + "\n", "Line"),
    (lambda text: "[" * 5000 + "]" * 5000 + "\n" + text, "not a Scratchpad board file"),
])
def test_a_damaged_file_is_refused_before_anything_changes(app, tmp_path, damage, message):
    fill_board(app)
    path = tmp_path / "board.jsonl"
    assert run(app, "export", str(path))[0] == 0
    rows = board_rows(app)
    path.write_text(damage(path.read_text()))
    code, output = run(app, "restore", "--replace", str(path))
    assert code == 1
    assert message in output
    assert board_rows(app) == rows


def test_backup_and_restore(app, tmp_path, database):
    fill_board(app)
    rows = board_rows(app)
    path = tmp_path / "backup"
    code, output = run(app, "backup", str(path))
    assert code == 0, output
    kind = "SQLite database file" if database.engine_name == "sqlite" else "board file"
    assert f"a {kind} with 3 users, 7 comments, 1 comment revisions, 1 comment reports" in output

    create_user(app, "after the backup")
    with app.app_context():
        db.session.execute(sa.delete(Comment).where(Comment.content == TEXTS[0]))
        db.session.commit()
    changed = board_rows(app)
    code, output = run(app, "restore", str(path))
    assert code == 1 and "not empty" in output
    assert board_rows(app) == changed
    code, output = run(app, "restore", "--replace", str(path))
    assert code == 0, output
    assert board_rows(app) == rows


def test_a_damaged_sqlite_backup_is_refused(app, tmp_path):
    fill_board(app)
    path = tmp_path / "backup.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    rows = board_rows(app)
    code, output = run(app, "restore", "--replace", str(path))
    assert code == 1 and "Error:" in output
    assert board_rows(app) == rows


POSTERS = 8


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_a_backup_taken_while_eight_people_post_holds_every_comment_acknowledged_before_it(
        engine, tmp_path_factory, tmp_path):
    database, app = upgraded(engine, tmp_path_factory)
    restored_db, restored = upgraded(engine, tmp_path_factory)
    names = [f"poster{number}" for number in range(POSTERS)]
    for name in names:
        create_user(app, name)
    server = GunicornServer("wsgi:application", {
        **os.environ, "DATABASE_URL": database.url, "SECRET_KEY": SECRET_KEY + uuid.uuid4().hex,
        "SCRATCHPAD_SESSION_COOKIE_SECURE": "false",
        "SCRATCHPAD_COMMENT_LIMITS_PER_USER": "100000 per minute",
        "SCRATCHPAD_LOGIN_LIMITS_PER_ADDRESS": "100000 per minute",
    }, tmp_path / "gunicorn.log", workers=4)
    acknowledged = []  # (when, text)
    lock = threading.Lock()
    stop = threading.Event()

    def post(name):
        visitor = Visitor(server.url)
        assert visitor.log_in(name, PASSWORD) == 302
        token = visitor.csrf_token("/")
        number = 0
        while not stop.is_set():
            text = f"{name} {number}"
            number += 1
            if visitor.request("/", {"contents": text, "csrf_token": token})[0] == 302:
                with lock:
                    acknowledged.append((time.monotonic(), text))

    try:
        server.wait_until_serving()
        threads = [threading.Thread(target=post, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 100:
            time.sleep(0.05)
        backup_started = time.monotonic()
        path = tmp_path / "backup"
        code, output = run(app, "backup", str(path))
        assert code == 0, output
        while len(acknowledged) < 200:
            time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        server.stop()
    try:
        assert run(restored, "restore", str(path))[0] == 0
        live, copy = board_rows(app), board_rows(restored)
        assert copy["users"] == live["users"]
        live_comments = {row[0]: row for row in live["comments"]}
        assert all(live_comments[row[0]] == row for row in copy["comments"])
        in_backup = {row[1] for row in copy["comments"]}
        before = [text for when, text in acknowledged if when < backup_started]
        assert before and set(before) <= in_backup
        assert len(in_backup) < len(live["comments"])  # the site went on meanwhile
    finally:
        for throw_away, each in ((database, app), (restored_db, restored)):
            with each.app_context():
                db.engine.dispose()
            throw_away.drop()
