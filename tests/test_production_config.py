"""In production the site refuses to start with debugging on or a short
secret key, and says why."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scratchpad import create_app
from scratchpad.config import UnsafeProductionConfig

REPOSITORY = Path(__file__).resolve().parent.parent
LONG_KEY = "k" * 32


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    for name in ("FLASK_DEBUG", "SCRATCHPAD_DEBUG", "SCRATCHPAD_PRODUCTION", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'scratchpad.sqlite'}")


def production_app(**settings):
    return create_app({"PRODUCTION": True, "SECRET_KEY": LONG_KEY, **settings})


def test_production_starts_with_safe_settings(clean_environment):
    app = production_app()
    assert not app.debug
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_a_multibyte_key_is_measured_in_bytes(clean_environment):
    production_app(SECRET_KEY="é" * 16)  # 32 bytes in UTF-8
    with pytest.raises(UnsafeProductionConfig, match="SECRET_KEY is shorter than 32 bytes"):
        production_app(SECRET_KEY="é" * 15 + "e")


@pytest.mark.parametrize("key", ["short", "k" * 31, b"k" * 31])
def test_production_refuses_a_short_secret_key(clean_environment, key):
    with pytest.raises(UnsafeProductionConfig, match="SECRET_KEY is shorter than 32 bytes"):
        production_app(SECRET_KEY=key)


@pytest.mark.parametrize("variable, value", [
    ("FLASK_DEBUG", "1"), ("FLASK_DEBUG", "true"), ("SCRATCHPAD_DEBUG", "true"),
    ("SCRATCHPAD_DEBUG", "1"),
])
def test_production_refuses_a_debug_flag_in_the_environment(clean_environment, monkeypatch,
                                                             variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(UnsafeProductionConfig, match="debug mode is on"):
        production_app()


def test_production_refuses_debug_in_the_settings(clean_environment):
    with pytest.raises(UnsafeProductionConfig, match="debug mode is on"):
        production_app(DEBUG=True)


def test_the_message_names_every_problem(clean_environment):
    with pytest.raises(UnsafeProductionConfig) as refused:
        production_app(DEBUG=True, SECRET_KEY="short")
    assert "debug mode is on" in str(refused.value)
    assert "SECRET_KEY is shorter than 32 bytes" in str(refused.value)


def test_outside_production_debugging_and_short_keys_are_allowed(clean_environment, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app({"SECRET_KEY": "short"}).debug


def import_wsgi(tmp_path, **environment):
    env = {name: value for name, value in os.environ.items()
           if name not in ("FLASK_DEBUG", "SCRATCHPAD_DEBUG", "SECRET_KEY")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'scratchpad.sqlite'}", **environment)
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=REPOSITORY, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_wsgi_entry_point_fails_loudly_with_the_reason(tmp_path):
    refused = import_wsgi(tmp_path, FLASK_DEBUG="1", SECRET_KEY=LONG_KEY)
    assert refused.returncode != 0
    assert "UnsafeProductionConfig: Scratchpad will not start in production" in refused.stderr
    assert "debug mode is on" in refused.stderr

    started = import_wsgi(tmp_path, SECRET_KEY=LONG_KEY)
    assert started.returncode == 0, started.stderr


def test_a_form_sent_over_plain_http_says_to_open_the_site_over_https(database, caplog):
    """Browsers keep no Secure cookie over http, so the login form's token can
    never match: the page says to use https://, and the log what to change."""
    app = create_app({"PRODUCTION": True, "SECRET_KEY": LONG_KEY, "DATABASE_URL": database.url})
    over_http = app.test_client().post("/login/", data={"username": "a", "password": "b"},
                                       base_url="http://board.example")
    assert over_http.status_code == 400
    page = over_http.get_data(as_text=True)
    assert "This site works only over HTTPS" in page
    assert "reload the page" not in page
    assert any("turn on Force HTTPS" in record.getMessage()
               and "X-Forwarded-Proto" in record.getMessage() for record in caplog.records)

    over_https = app.test_client().post("/login/", data={"username": "a", "password": "b"},
                                        base_url="https://board.example")
    assert over_https.status_code == 400
    assert "reload the page" in over_https.get_data(as_text=True)
    assert "works only over HTTPS" not in over_https.get_data(as_text=True)

    development = create_app({"SECRET_KEY": LONG_KEY, "DATABASE_URL": database.url})
    plain = development.test_client().post("/login/", data={"username": "a", "password": "b"})
    assert "reload the page" in plain.get_data(as_text=True)
