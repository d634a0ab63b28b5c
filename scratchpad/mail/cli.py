"""``flask mail test ADDRESS``: send a test mail and show what the server said."""
import smtplib
import sys

import click
from flask import Blueprint, current_app
from flask_mail import sanitize_address

from .sending import connect, message, missing_settings

mail_cli = Blueprint("mail", __name__, cli_group="mail")


def show(step, reply):
    code, text = reply
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    first, *more = text.splitlines() or [""]
    click.echo(f"{step}: {code} {first}")
    for line in more:  # a reply of several lines, such as EHLO's list of extensions
        click.echo(f"    {line}")


@mail_cli.cli.command("test")
@click.argument("address")
def test_command(address):
    """Send a test mail to ADDRESS through the configured server, showing each
    answer of the server; exit status 1 when it is not accepted."""
    config = current_app.config
    missing = missing_settings(config)
    if missing:
        click.echo(f"Error: email is not configured: set {', '.join(missing)} "
                   "(e.g. SCRATCHPAD_MAIL_SERVER).", err=True)
        sys.exit(1)
    security = "SSL" if config["MAIL_USE_SSL"] else "STARTTLS" if config["MAIL_USE_TLS"] else "no TLS"
    click.echo(f"Connecting to {config['MAIL_SERVER']}:{config['MAIL_PORT']} ({security})"
               + (f" as {config['MAIL_USERNAME']}" if config["MAIL_USERNAME"] else ""))
    test_mail = message(address, "Scratchpad: a test mail", "test",
                        public_url=config["PUBLIC_URL"])
    try:
        with connect() as connection:
            host = connection.host
            show("EHLO", host.ehlo())
            show("MAIL FROM", host.mail(sanitize_address(test_mail.sender)))
            recipient = host.rcpt(sanitize_address(address))
            show("RCPT TO", recipient)
            if recipient[0] not in (250, 251):
                host.rset()
                raise click.ClickException("the server refused the recipient.")
            reply = host.data(test_mail.as_bytes())
            show("DATA", reply)
            if reply[0] != 250:
                raise click.ClickException("the server did not accept the mail.")
    except smtplib.SMTPResponseException as error:
        show("Refused", (error.smtp_code, error.smtp_error))
        click.echo("Error: the mail server refused.", err=True)
        sys.exit(1)
    except (smtplib.SMTPException, OSError) as error:
        click.echo(f"Error: {type(error).__name__}: {error}", err=True)
        sys.exit(1)
    except click.ClickException as error:
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"Sent a test mail to {address}.")
