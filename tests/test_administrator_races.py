"""At least one working administrator, whatever administrators do at the same
moment: two of them taking each other's rights away, disabling or deleting
each other, on the users page or one there and one on the command line. The
first change holds the administrators' rows while it checks and changes; the
second waits for it, sees it, and is refused saying why."""
import threading

import pytest
import sqlalchemy as sa

from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import WebUser, csrf_token, visible_text

pytestmark = pytest.mark.engines

# Long enough for any machine to bring the second change to the lock; with
# the lock working, the second change is seen waiting long before.
WAIT_SECONDS = 20


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def working_administrators(app):
    with app.app_context():
        return db.session.scalars(sa.select(User.username)
                                  .where(service.WORKING_ADMINISTRATOR)).all()


def waiting_for_a_lock(app):
    """Whether a connection to the test's database waits for a row lock, as
    the server reports it; None on SQLite, which does not say."""
    with app.app_context(), db.engine.connect() as connection:
        dialect = connection.dialect.name
        if dialect == "postgresql":
            return connection.scalar(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")) > 0
        if dialect == "mysql":
            # MariaDB's innodb_trx leaves out a waiting transaction that had
            # only read before: a locking read still running is one waiting.
            return connection.scalar(sa.text(
                "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() "
                "AND id <> CONNECTION_ID() AND command = 'Query' AND info LIKE '%FOR UPDATE%'")) > 0
        return None


class HeldAfterTheCheck:
    """The first change to pass the check waits there, holding what it took,
    until the test lets it go; the others pass as they come."""

    def __init__(self, monkeypatch):
        self.inside = threading.Event()
        self.passed = threading.Event()
        self.release = threading.Event()
        real_check = service.refuse_leaving_no_administrator
        first = threading.Lock()

        def held_check(user, message):
            real_check(user, message)
            if first.acquire(blocking=False):
                self.inside.set()
                self.release.wait(WAIT_SECONDS)
            else:
                self.passed.set()

        monkeypatch.setattr(service, "refuse_leaving_no_administrator", held_check)

    def let_the_second_reach_the_lock(self, app):
        """Until the second change waits for the lock (the server shows it)
        or, on SQLite, a while without it getting past the check."""
        if waiting_for_a_lock(app) is None:
            assert not self.passed.wait(1), "the second change did not wait for the first"
            return
        for _ in range(WAIT_SECONDS * 20):
            if waiting_for_a_lock(app):
                return
            assert not self.passed.wait(0.05), "the second change did not wait for the first"
        pytest.fail("the second change never came to the lock")


def on_the_users_page(app, actor, target, action):
    """A request of the administrator ``actor`` against ``target``, ready to send."""
    web = WebUser(app.test_client())
    assert web.login(actor).status_code == 302
    target_id = user_id(app, target)
    path = f"/admin/users/{target_id}/{action}"
    token = csrf_token(web.client, path if action == "delete" else "/admin/users/")

    def send():
        answer = web.client.post(path, data={"csrf_token": token})
        return answer.status_code, visible_text(answer)
    return send


def on_the_command_line(app, actor, target, action):
    command = {"remove-admin": "demote", "disable": "disable", "delete": "delete"}[action]
    arguments = ["users", command, target] + (["--yes"] if action == "delete" else [])

    def run():
        result = app.test_cli_runner().invoke(args=arguments)
        return result.exit_code, result.output
    return run


@pytest.mark.parametrize("action", ["remove-admin", "disable", "delete"])
@pytest.mark.parametrize("second_by", [on_the_users_page, on_the_command_line])
def test_two_administrators_at_once_leave_one(app, make_user, monkeypatch, action, second_by):
    make_user("ann", is_admin=True)
    make_user("ben", is_admin=True)
    first = on_the_users_page(app, "ann", "ben", action)
    second = second_by(app, "ben", "ann", action)
    held = HeldAfterTheCheck(monkeypatch)
    answers = {}

    def send(name, request):
        answers[name] = request()

    first_thread = threading.Thread(target=send, args=("first", first))
    first_thread.start()
    assert held.inside.wait(WAIT_SECONDS), "the first change never came to its check"
    second_thread = threading.Thread(target=send, args=("second", second))
    second_thread.start()
    try:
        held.let_the_second_reach_the_lock(app)
    finally:
        held.release.set()
        first_thread.join(WAIT_SECONDS)
        second_thread.join(WAIT_SECONDS)

    assert answers["first"][0] == 302
    code, output = answers["second"]
    assert code == (409 if second_by is on_the_users_page else 1)
    assert "ann is the last administrator; make another user an administrator first." in output
    assert working_administrators(app) == ["ann"]


def test_a_disabled_administrator_does_not_count(app, make_user, runner):
    make_user("ann", is_admin=True)
    make_user("ben", is_admin=True)
    assert runner.invoke(args=["users", "disable", "ben"]).exit_code == 0
    for command in (["users", "demote", "ann"], ["users", "disable", "ann"],
                    ["users", "delete", "ann", "--yes"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 1
        assert "ann is the last administrator" in result.output.replace("'", "")
    assert working_administrators(app) == ["ann"]
    assert runner.invoke(args=["users", "enable", "ben"]).exit_code == 0
    assert runner.invoke(args=["users", "demote", "ann"]).exit_code == 0
    assert working_administrators(app) == ["ben"]
