"""Rate limits: failed logins per username and per address, comments per user,
and one count shared by several processes through Redis."""
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from scratchpad import create_app
from scratchpad.extensions import db

from .helpers import PASSWORD, WebUser, all_comments, is_logged_in, visible_text
from .engines import reachable_redis_url

REPOSITORY = Path(__file__).resolve().parent.parent

LIMITED_SETTINGS = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_LIMITS_PER_USERNAME": "3 per minute",
    "LOGIN_LIMITS_PER_ADDRESS": "5 per minute",
    "COMMENT_LIMITS_PER_USER": "2 per minute",
    "PASSWORD_CHANGE_LIMITS_PER_USER": "3 per minute",
}


def make_limited_app(database, **settings):
    return create_app({
        "TESTING": True,
        "DATABASE_URL": database.url,
        "SECRET_KEY": "test secret key, long enough for production",
        **LIMITED_SETTINGS,
        **settings,
    })


@pytest.fixture
def limited_app(app, database):
    """A second app on the `app` fixture's database (which cleans it up),
    with the limiter on and small limits."""
    limited = make_limited_app(database)
    yield limited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def visitor(app, address="192.0.2.1", forwarded_for=None):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return WebUser(client)


def test_failed_logins_per_username_end_in_429_with_retry_after(limited_app, make_user):
    make_user("bob")
    web = visitor(limited_app)
    for _ in range(3):
        assert web.login("bob", "wrong password").status_code == 401

    limited = web.login("bob", "wrong password")
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    text = visible_text(limited)
    assert "429 Too Many Requests" in text
    assert "too many failed attempts to log in" in text
    assert re.search(r"Please try again in \d+ seconds?\.", text)
    assert "Log in" in text  # the navigation bar is still there


def test_the_right_password_does_not_get_through_while_limited(limited_app, make_user):
    make_user("bob")
    web = visitor(limited_app)
    for _ in range(3):
        web.login("bob", "wrong password")
    assert web.login("bob", PASSWORD).status_code == 429
    assert not is_logged_in(web)


def test_the_username_limit_ignores_case_and_surrounding_spaces(limited_app, make_user):
    make_user("bob")
    for address, spelling in (("192.0.2.1", "BOB"), ("192.0.2.2", " Bob "), ("192.0.2.3", "bOb")):
        assert visitor(limited_app, address).login(spelling, "wrong password").status_code == 401
    assert visitor(limited_app, "192.0.2.4").login("bob", PASSWORD).status_code == 429


def test_the_username_limit_follows_the_name_not_the_address(limited_app, make_user):
    make_user("bob")
    make_user("alice")
    for number in range(3):
        visitor(limited_app, f"192.0.2.{number}").login("bob", "wrong password")
    assert visitor(limited_app, "192.0.2.9").login("bob", PASSWORD).status_code == 429
    assert visitor(limited_app, "192.0.2.9").login("alice", PASSWORD).status_code == 302


def test_successful_logins_are_not_counted(limited_app, make_user):
    make_user("bob")
    for _ in range(5):
        web = visitor(limited_app)
        assert web.login("bob", PASSWORD).status_code == 302
        assert is_logged_in(web)


def test_failed_logins_per_address_end_in_429(limited_app, make_user):
    make_user("bob")
    web = visitor(limited_app, "198.51.100.7")
    for number in range(5):
        assert web.login(f"nobody{number}", "wrong password").status_code == 401
    assert web.login("bob", PASSWORD).status_code == 429
    assert not is_logged_in(web)
    assert visitor(limited_app, "198.51.100.8").login("bob", PASSWORD).status_code == 302


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(app, database, make_user):
    make_user("bob")
    untrusting = make_limited_app(database)
    for number in range(5):
        forwarded = visitor(untrusting, forwarded_for=f"203.0.113.{number}")
        forwarded.login(f"nobody{number}", "wrong password")
    claims_new_address = visitor(untrusting, forwarded_for="203.0.113.99")
    assert claims_new_address.login("bob", PASSWORD).status_code == 429

    behind_proxy = make_limited_app(database, TRUSTED_PROXIES=1)
    for number in range(5):
        proxied = visitor(behind_proxy, "10.0.0.1", "203.0.113.1")
        proxied.login(f"nobody{number}", "wrong password")
    other_client = visitor(behind_proxy, "10.0.0.1", "203.0.113.2")
    assert other_client.login("bob", PASSWORD).status_code == 302
    for each in (untrusting, behind_proxy):
        with each.app_context():
            db.engine.dispose()


def test_comment_posting_is_limited_per_user(limited_app, make_user):
    make_user("bob")
    make_user("alice")
    bob = visitor(limited_app)
    bob.login("bob")
    assert bob.post_comment("one").status_code == 302
    assert bob.post_comment("two").status_code == 302

    refused = bob.post_comment("three")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "too many comments" in visible_text(refused)
    assert [content for _, content, _, _ in all_comments(limited_app)] == ["one", "two"]

    alice = visitor(limited_app)  # same address, another user
    alice.login("alice")
    assert alice.post_comment("alice's").status_code == 302
    assert bob.get("/").status_code == 200  # reading is not limited


def test_visitors_posting_are_sent_to_log_in_not_counted(limited_app):
    web = visitor(limited_app)
    for _ in range(4):
        response = web.post_comment("spam", form_page="/login/")
        assert response.status_code == 302
        assert response.location.startswith("/login/")
    assert all_comments(limited_app) == []


# Run in a separate Python process: the Flask-Limiter object is per process.
FAILED_LOGINS_IN_A_PROCESS = """
import json, sys
from scratchpad import create_app
settings, attempts = json.loads(sys.argv[1])
client = create_app(settings).test_client()
print(json.dumps([client.post("/login/", data={"username": "bob", "password": password}).status_code
                  for password in attempts]))
"""


def failed_logins_in_another_process(settings, attempts):
    finished = subprocess.run(
        [sys.executable, "-c", FAILED_LOGINS_IN_A_PROCESS, json.dumps([settings, attempts])],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=120,
        env={**os.environ, "FLASK_DEBUG": "0"},
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.splitlines()[-1])


@pytest.fixture
def redis_url():
    return reachable_redis_url()


def process_settings(database, storage_uri, key_prefix):
    return {
        "DATABASE_URL": database.url,
        "SECRET_KEY": "test secret key, long enough for production",
        "WTF_CSRF_ENABLED": False,
        **LIMITED_SETTINGS,
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_KEY_PREFIX": key_prefix,
    }


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_processes_sharing_redis_share_one_count(app, database, make_user, redis_url):
    make_user("bob")
    settings = process_settings(database, redis_url, f"scratchpad-test-{uuid.uuid4().hex}")
    assert failed_logins_in_another_process(settings, ["wrong", "wrong"]) == [401, 401]
    assert failed_logins_in_another_process(settings, ["wrong", PASSWORD]) == [401, 429]


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_processes_with_memory_storage_count_apart(app, database, make_user):
    make_user("bob")
    settings = process_settings(database, "memory://", "")
    assert failed_logins_in_another_process(settings, ["wrong", "wrong"]) == [401, 401]
    assert failed_logins_in_another_process(settings, ["wrong", PASSWORD]) == [401, 302]


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_while_the_storage_is_unreachable_each_process_counts_alone(app, database, make_user):
    # In a process of its own: the limiter would stay in its fallback mode
    # for the tests after this one.
    make_user("bob")
    settings = process_settings(database, "redis://127.0.0.1:9/0", "")
    attempts = ["wrong", "wrong", "wrong", PASSWORD]
    assert failed_logins_in_another_process(settings, attempts) == [401, 401, 401, 429]


def test_guesses_at_the_current_password_are_limited(limited_app, make_user):
    make_user("bob")
    web = visitor(limited_app)
    web.login("bob", PASSWORD)
    guess = {"new_password": "a new password", "new_password_again": "a new password"}
    for number in range(3):
        response = web.post_form("/account/", {**guess, "current_password": f"guess {number}"})
        assert response.status_code == 400
    limited = web.post_form("/account/", {**guess, "current_password": PASSWORD})
    assert limited.status_code == 429
    assert "too many failed attempts to change your password" in visible_text(limited)
    web.logout()
    assert web.login("bob", "a new password").status_code == 401
    assert web.login("bob", PASSWORD).status_code == 302
