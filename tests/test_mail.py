"""Email settings and `flask mail test ADDRESS`, against a real SMTP server:
the mail arrives, and every answer of the server is shown."""
import pytest

from scratchpad import create_app, mail
from scratchpad.accounts import service
from scratchpad.extensions import db
from support.site_processes import free_port

from .helpers import csrf_token, mail_text


@pytest.fixture
def mail_runner(mail_app):
    return mail_app.test_cli_runner()


def test_mail_test_sends_a_mail_and_shows_the_server_answers(mail_runner, smtp_server):
    result = mail_runner.invoke(args=["mail", "test", "me@example.org"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Connecting to 127.0.0.1:{smtp_server.port} (no TLS)"
    assert lines[1].startswith("EHLO: 250 ")
    assert "    SIZE 33554432" in lines  # aiosmtpd's extensions, one a line
    assert lines[-4:] == ["MAIL FROM: 250 OK", "RCPT TO: 250 OK",
                          "DATA: 250 Message accepted for delivery",
                          "Sent a test mail to me@example.org."]
    [mail] = smtp_server.to("me@example.org")
    assert mail["Subject"] == "Scratchpad: a test mail"
    assert "http://board.example.test" in mail_text(mail)


def test_mail_test_shows_a_refusal_and_fails(mail_runner, smtp_server):
    smtp_server.refuse = True
    result = mail_runner.invoke(args=["mail", "test", "me@example.org"])
    assert result.exit_code == 1
    assert "RCPT TO: 550 5.1.1 No such mailbox here" in result.stdout
    assert "Error: the server refused the recipient." in result.stderr
    assert smtp_server.mails == []


def test_mail_test_reports_an_unreachable_server(mail_app):
    mail_app.config["MAIL_PORT"] = free_port()
    result = mail_app.test_cli_runner().invoke(args=["mail", "test", "me@example.org"])
    assert result.exit_code == 1
    assert "Error: ConnectionRefusedError" in result.stderr


def test_mail_test_says_what_is_missing(runner):
    result = runner.invoke(args=["mail", "test", "me@example.org"])
    assert result.exit_code == 1
    assert ("Error: email is not configured: set MAIL_SERVER, MAIL_DEFAULT_SENDER, "
            "PUBLIC_URL") in result.stderr


def test_mail_settings_come_from_the_environment(database, monkeypatch):
    monkeypatch.setenv("SCRATCHPAD_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("SCRATCHPAD_MAIL_PORT", "587")
    monkeypatch.setenv("SCRATCHPAD_MAIL_USE_TLS", "true")
    monkeypatch.setenv("SCRATCHPAD_MAIL_DEFAULT_SENDER", "board@example.org")
    monkeypatch.setenv("SCRATCHPAD_PUBLIC_URL", "https://board.example.org")
    app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "x" * 32})
    assert app.config["MAIL_PORT"] == 587 and app.config["MAIL_USE_TLS"] is True
    with app.app_context():
        assert mail.is_enabled()
        db.engine.dispose()


def test_half_configured_mail_is_off_and_says_why(database, caplog):
    app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "x" * 32,
                      "MAIL_SERVER": "smtp.example.org"})
    assert "Email is off: MAIL_SERVER is set, but MAIL_DEFAULT_SENDER and PUBLIC_URL are not." \
        in caplog.text
    with app.app_context():
        assert not mail.is_enabled()
        db.engine.dispose()


def test_mail_links_ignore_the_host_header(mail_app, smtp_server):
    with mail_app.app_context():
        service.create_user("carol", "a good password", email="carol@example.org")
    client = mail_app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    token = csrf_token(client, "/reset-password/")
    response = client.post("/reset-password/",
                           data={"email": "carol@example.org", "csrf_token": token})
    assert response.status_code == 302
    [mail] = smtp_server.wait_for("carol@example.org")
    assert "evil.example" not in mail_text(mail)
    assert "http://board.example.test/reset-password/" in mail_text(mail)
