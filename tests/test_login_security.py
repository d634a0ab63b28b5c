"""Logging in against an attacker: no way to tell which usernames exist, old
hashes upgraded, and no redirect off the site afterwards."""
import statistics
import time

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from werkzeug.security import generate_password_hash

from scratchpad.accounts import passwords, service
from scratchpad.accounts.passwords import current_hash_method
from scratchpad.extensions import db
from scratchpad.models import User
from scratchpad.site.redirects import safe_next_path

from .helpers import PASSWORD, visible_text

TUTORIAL_HASH_METHOD = "pbkdf2:sha256:50000"
# werkzeug's default, which the site used before Argon2id.
SCRYPT_HASH_METHOD = "scrypt:32768:8:1"
OLD_HASH_METHODS = [TUTORIAL_HASH_METHOD, SCRYPT_HASH_METHOD]


def stored_hash(app, username="bob"):
    with app.app_context():
        return db.session.scalar(db.select(User.password_hash).where(User.username == username))


def store_hash(app, password_hash, username="bob"):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        user.password_hash = password_hash
        db.session.commit()


def failed_login_seconds(web, username):
    """The processor time a failed login takes. (The hashing is done in this
    thread: its processor time is the work, which other processes on a busy
    machine do not blur as they blur the time on the clock.)"""
    started = time.thread_time()
    response = web.client.post("/login/", data={"username": username, "password": "wrong!"})
    elapsed = time.thread_time() - started
    assert response.status_code == 401
    return elapsed


@pytest.mark.production_hashing
def test_an_unknown_user_takes_as_long_as_a_wrong_password(app, web, make_user):
    make_user("bob")
    app.config["WTF_CSRF_ENABLED"] = False
    failed_login_seconds(web, "nobody")  # makes the dummy hash, once per process
    # Taken in turns, so that a busy moment of the machine slows both alike.
    timings = [(failed_login_seconds(web, "nobody"), failed_login_seconds(web, "bob"))
               for _ in range(9)]
    unknown = statistics.median(pair[0] for pair in timings)
    wrong = statistics.median(pair[1] for pair in timings)
    assert 0.5 < unknown / wrong < 2, f"unknown user {unknown:.3f}s, wrong password {wrong:.3f}s"


@pytest.mark.production_hashing
@pytest.mark.parametrize("old_method", OLD_HASH_METHODS)
def test_an_account_with_an_outdated_hash_takes_as_long_as_any_other(app, web, make_user,
                                                                    old_method):
    """An older method costs other time to check than the current one:
    without care, the time taken would tell which old accounts exist."""
    make_user("bob")
    make_user("olduser")
    store_hash(app, generate_password_hash(PASSWORD, method=old_method), "olduser")
    app.config["WTF_CSRF_ENABLED"] = False
    failed_login_seconds(web, "nobody")  # makes the dummy hashes, once per process
    # Taken in turns, so that a busy moment of the machine slows all alike.
    timings = [(failed_login_seconds(web, "olduser"), failed_login_seconds(web, "bob"),
                failed_login_seconds(web, "nobody")) for _ in range(9)]
    outdated, current, unknown = (statistics.median(pair[index] for pair in timings)
                                  for index in range(3))
    report = f"outdated {outdated:.3f}s, current {current:.3f}s, unknown {unknown:.3f}s"
    assert 0.8 < outdated / current < 1.25, report
    assert 0.8 < outdated / unknown < 1.25, report


def count_checks(monkeypatch):
    """The methods of the hashes every password check is made against, in order."""
    checked = []
    real_check = passwords.password_matches

    def counting_check(password_hash, password):
        checked.append(passwords.hash_method(password_hash))
        return real_check(password_hash, password)

    monkeypatch.setattr(service, "password_matches", counting_check)
    return checked


def test_every_failed_login_checks_once_for_each_method_in_use(app, web, make_user,
                                                               monkeypatch):
    checked = count_checks(monkeypatch)
    make_user("bob")
    make_user("olduser")
    make_user("olderuser")
    make_user("otherargon")
    store_hash(app, generate_password_hash(PASSWORD, method=TUTORIAL_HASH_METHOD), "olduser")
    store_hash(app, generate_password_hash(PASSWORD, method=SCRYPT_HASH_METHOD), "olderuser")
    other_argon2 = PasswordHasher(time_cost=3, memory_cost=8192, parallelism=2).hash(PASSWORD)
    store_hash(app, other_argon2, "otherargon")
    app.config["WTF_CSRF_ENABLED"] = False
    for username in ("olduser", "olderuser", "otherargon", "bob", "nobody"):
        checked.clear()
        failed_login_seconds(web, username)
        assert sorted(checked) == sorted([current_hash_method(), TUTORIAL_HASH_METHOD,
                                          SCRYPT_HASH_METHOD,
                                          passwords.hash_method(other_argon2)]), username


def test_once_the_old_hashes_are_upgraded_a_login_checks_one_hash(app, web, make_user,
                                                                   monkeypatch):
    checked = count_checks(monkeypatch)
    make_user("bob")
    store_hash(app, generate_password_hash(PASSWORD, method=TUTORIAL_HASH_METHOD))
    assert web.login("bob", PASSWORD).status_code == 302
    web.logout()

    checked.clear()
    assert web.login("bob", "wrong password").status_code == 401
    assert checked == [current_hash_method()]


@pytest.mark.parametrize("old_method", OLD_HASH_METHODS)
def test_an_older_hash_is_upgraded_to_argon2id_at_login(app, web, make_user, old_method):
    make_user("bob")
    store_hash(app, generate_password_hash(PASSWORD, method=old_method))

    assert web.login("bob", "wrong password").status_code == 401
    assert stored_hash(app).startswith(old_method + "$")

    assert web.login("bob", PASSWORD).status_code == 302
    upgraded = stored_hash(app)
    assert passwords.hash_method(upgraded) == current_hash_method()
    web.logout()
    assert web.login("bob", PASSWORD).status_code == 302
    assert stored_hash(app) == upgraded


@pytest.mark.production_hashing
def test_new_hashes_are_argon2id_at_owasp_parameters(app, make_user):
    make_user("bob")
    parameters = extract_parameters(stored_hash(app))
    assert parameters.type is Type.ID
    # OWASP's first recommendation: at least 19 MiB, 2 passes, 1 lane.
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism == 1
    assert current_hash_method() == passwords.hash_method(stored_hash(app))


@pytest.mark.production_hashing
@pytest.mark.parametrize("weaker", ["m=65536,t=3,p=4", "m=8192,t=2,p=1", "m=19456,t=1,p=1"])
def test_an_argon2id_hash_with_other_parameters_is_upgraded(app, web, make_user, weaker):
    make_user("bob")
    other = PasswordHasher(**{
        {"m": "memory_cost", "t": "time_cost", "p": "parallelism"}[name]: int(value)
        for name, value in (part.split("=") for part in weaker.split(","))})
    store_hash(app, other.hash(PASSWORD))
    assert web.login("bob", PASSWORD).status_code == 302
    assert passwords.hash_method(stored_hash(app)) == current_hash_method()


def test_a_current_hash_is_left_alone(app, web, make_user):
    make_user("bob")
    before = stored_hash(app)
    assert web.login("bob", PASSWORD).status_code == 302
    assert stored_hash(app) == before


@pytest.mark.parametrize("password_hash", [
    "sha1$salt$0123456789abcdef", "garbage", "", "pbkdf2:sha256:many$salt$00",
    "scrypt:3:8:1$salt$00", "md5$$", "$argon2id$v=19$m=19456,t=2,p=1$short$00",
    "$argon2id$garbage", "$argon2i$",
])
def test_a_hash_in_an_unknown_format_is_a_failed_login(app, web, make_user, password_hash):
    make_user("bob")
    store_hash(app, password_hash)
    response = web.login("bob", PASSWORD)
    assert response.status_code == 401
    assert "Incorrect username or password" in visible_text(response)
    assert stored_hash(app) == password_hash


OFF_SITE = [
    "//evil.example", "https://evil.example", "http:evil.example", "/\\evil.example",
    "\\\\evil.example", "javascript:alert(1)", "JavaScript:alert(1)", "\t//evil.example",
    "/\t/evil.example", "/\n/evil.example", " //evil.example", "/%5Cevil.example",
    "/%2F/evil.example", "/%5C%5Cevil.example", "%2F%2Fevil.example", "", "evil.example",
    "data:text/html,hi",
]
ON_SITE = ["/", "/account/", "/comments/1/delete?x=1", "/?before=10", "/%2525", "/caf%C3%A9"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_next_address_off_the_site_becomes_the_board(target):
    assert safe_next_path(target) == "/"


@pytest.mark.parametrize("target", ON_SITE)
def test_a_next_path_on_the_site_is_kept(target):
    assert safe_next_path(target) == target


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "\t//evil",
                                    "/%5Cevil.example", "https://evil.example"])
def test_after_login_only_paths_on_this_site_are_followed(web, make_user, target):
    make_user("bob")
    response = web.post_form("/login/", {"username": "bob", "password": PASSWORD},
                             query_string={"next": target}, form_page="/login/")
    assert response.status_code == 302
    assert response.location == "/"


def test_after_login_a_path_with_a_query_is_followed(web, make_user):
    make_user("bob")
    response = web.post_form("/login/", {"username": "bob", "password": PASSWORD},
                             query_string={"next": "/comments/1/delete?x=1"}, form_page="/login/")
    assert response.location == "/comments/1/delete?x=1"
