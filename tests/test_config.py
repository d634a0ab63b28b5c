"""Where settings come from; the generated secret key."""
import os
import stat
from pathlib import Path

import pytest
from flask_migrate import upgrade

from scratchpad import INSTANCE_PATH_VARIABLE, create_app
from scratchpad.config import instance_secret_key
from scratchpad.extensions import db


def test_secret_key_is_generated_once_with_mode_0600(tmp_path):
    first = instance_secret_key(str(tmp_path))
    second = instance_secret_key(str(tmp_path))
    assert first == second
    assert len(bytes.fromhex(first)) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_secret_keys_differ_between_instances(tmp_path):
    assert instance_secret_key(str(tmp_path / "a")) != instance_secret_key(str(tmp_path / "b"))


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite")
    assert create_app().config["SECRET_KEY"] == "k" * 40


def test_prefixed_environment_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHPAD_COMMENTS_PER_PAGE", "20")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite")
    assert create_app().config["COMMENTS_PER_PAGE"] == 20


def test_without_database_url_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "k" * 40})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "sqlite:///" + os.path.join(app.instance_path, "scratchpad.sqlite"))


def test_no_secret_in_the_code():
    import scratchpad.config as config
    assert config.Defaults.SECRET_KEY is None


def test_the_instance_folder_can_be_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(INSTANCE_PATH_VARIABLE, str(tmp_path / "elsewhere"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "config.py").write_text("COMMENTS_PER_PAGE = 7\n")
    app = create_app({"SECRET_KEY": "k" * 40})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert app.config["COMMENTS_PER_PAGE"] == 7


def test_the_tests_never_read_the_repositorys_own_instance_folder():
    repository = Path(__file__).resolve().parent.parent
    assert not Path(create_app({"SECRET_KEY": "k" * 40}).instance_path).is_relative_to(repository)


def test_moderation_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHPAD_EDIT_WINDOW", "0.5")
    monkeypatch.setenv("SCRATCHPAD_HOLD_NEW_ACCOUNTS", "3")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite")
    app = create_app()
    assert (app.config["EDIT_WINDOW"], app.config["HOLD_NEW_ACCOUNTS"]) == (0.5, 3)


def test_a_window_that_is_not_a_number_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHPAD_EDIT_WINDOW", "fifteen")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite")
    with pytest.raises(ValueError, match="EDIT_WINDOW must be a number"):
        create_app()


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_sqlite_database_and_its_folder_are_private(tmp_path, monkeypatch):
    """The database holds the password hashes: readable by the site's user only."""
    instance = tmp_path / "instance"
    monkeypatch.setenv(INSTANCE_PATH_VARIABLE, str(instance))
    previous_umask = os.umask(0o022)
    try:
        app = create_app({"SECRET_KEY": "x" * 32})
        with app.app_context():
            upgrade()
            db.engine.dispose()
        elsewhere = tmp_path / "data" / "board.sqlite"
        elsewhere.parent.mkdir()
        other = create_app({"SECRET_KEY": "x" * 32, "DATABASE_URL": f"sqlite:///{elsewhere}"})
        with other.app_context():
            upgrade()
            db.engine.dispose()
    finally:
        os.umask(previous_umask)
    assert mode(instance) == 0o700
    assert mode(instance / "scratchpad.sqlite") == 0o600
    assert mode(elsewhere) == 0o600
