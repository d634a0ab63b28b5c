"""The accounts' pages, messages and mails in German and Spanish: logging in
and out, the account page, signing up, password resets and email addresses.
The command line's messages stay English."""
import re

import pytest

from scratchpad.accounts import service
from scratchpad.site.settings import change_site_setting

from .helpers import PASSWORD, WebUser, link_in, mail_text, visible_text

GERMAN = {"Accept-Language": "de"}
SPANISH = {"Accept-Language": "es"}
FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"

# English sentences of these pages that must not be left on a translated page.
ENGLISH = [
    "Log in", "Username", "Password", "Remember me", "Forgot your password?", "No account yet?",
    "Sign up", "Incorrect username or password", "Please log in to do that.", "Logged in as",
    "Your account", "Change your password", "Current password", "New password",
    "Change password", "Email address", "Change your email address", "Leaving",
    "Delete my account", "Where you are logged in", "this browser", "remembered",
    "Logged in", "last seen", "Log out everywhere else", "Firefox on Linux",
    "Unknown browser", "Log out of Scratchpad?", "Create account", "Choose a username",
    "Already have an account?", "The password must", "Back to logging in",
    "This site does not send email", "Give the email address", "The email address of your",
    "Send me a link", "If an account has that address", "Delete your account",
    "You will be logged out", "This cannot be undone", "Your password", "Confirm your password",
    "You are logged in as", "from an earlier visit", "This password reset link",
    "Choose a new password", "Every session of the account", "Set the new password",
    "Now:", "(not confirmed yet)", "We send a link", "Back to your account",
    "Confirm your email address", "does not take sign-ups",
]


def words_and_attributes(response):
    """What a reader sees or hears in the page's main part (the navigation
    bar around it is the board's): its text and the attributes made for people."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    attributes = re.findall(r'(?:placeholder|title|aria-label|alt)="([^"]*)"', main)
    words = " ".join(re.sub(r"<[^>]+>", " ", main).replace("&#39;", "'").split())
    return words + " " + " ".join(attributes)


def assert_no_english(response):
    text = words_and_attributes(response)
    left = [sentence for sentence in ENGLISH if sentence in text]
    assert not left, f"English left on the page: {left}"


def person(app, language, user_agent=None):
    web = WebUser(app.test_client())
    web.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    if user_agent:
        web.client.environ_base["HTTP_USER_AGENT"] = user_agent
    return web


@pytest.fixture
def bob(app, make_user):
    make_user("bob")
    bob = person(app, "de", FIREFOX_ON_LINUX)
    assert bob.login("bob").status_code == 302
    return bob


def test_the_login_page_in_german_and_spanish(client):
    german = client.get("/login/", headers=GERMAN)
    text = words_and_attributes(german)
    for words in ("Anmelden", "Benutzername", "Passwort", "Angemeldet bleiben",
                  "Passwort vergessen?"):
        assert words in text
    assert_no_english(german)
    spanish = client.get("/login/", headers=SPANISH)
    text = words_and_attributes(spanish)
    for words in ("Iniciar sesión", "Nombre de usuario", "Contraseña", "Recordarme",
                  "¿Has olvidado tu contraseña?"):
        assert words in text
    assert_no_english(spanish)


def test_a_failed_and_a_good_login_in_spanish(app, make_user):
    make_user("bob")
    web = person(app, "es")
    failed = web.login("bob", "not the password at all")
    assert failed.status_code == 401
    assert "Nombre de usuario o contraseña incorrectos" in visible_text(failed)
    assert_no_english(failed)
    answer = web.login("bob", follow_redirects=True)
    assert "Has iniciado sesión como bob." in visible_text(answer)


def test_a_page_that_needs_a_login_says_so_in_german(app):
    web = person(app, "de")
    answer = web.get("/account/", follow_redirects=True)
    assert "Bitte melden Sie sich dafür an." in visible_text(answer)
    assert_no_english(answer)


def test_the_account_page_in_german(bob):
    page = bob.get("/account/")
    text = visible_text(page)
    for words in ("Ihr Konto: bob", "Aktuelles Passwort", "Neues Passwort wiederholen",
                  "Passwort ändern", "Wo Sie angemeldet sind", "Firefox unter Linux",
                  "dieser Browser", "Angemeldet am", "zuletzt aktiv am", "Mein Konto löschen"):
        assert words in text
    # The dates are German too.
    assert re.search(r"(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d+\. ",
                     text)
    assert_no_english(page)


def test_a_password_rule_and_a_changed_password_in_german(bob):
    short = bob.post_form("/account/", {"current_password": PASSWORD, "new_password": "kurz",
                                        "new_password_again": "kurz"})
    assert short.status_code == 400
    assert "Das Passwort muss mindestens 8 Zeichen lang sein." in visible_text(short)
    assert_no_english(short)
    new = "ein ganz neues Kennwort"
    changed = bob.post_form("/account/", {"current_password": PASSWORD, "new_password": new,
                                          "new_password_again": new}, follow_redirects=True)
    assert "Ihr Passwort wurde geändert. Andere Sitzungen wurden abgemeldet." in visible_text(
        changed)


def test_logging_out_in_spanish(app, make_user):
    make_user("bob")
    web = person(app, "es")
    web.login("bob")
    page = web.get("/logout/")
    assert "¿Cerrar sesión en Scratchpad?" in visible_text(page)
    assert_no_english(page)
    answer = web.post_form("/logout/", {}, follow_redirects=True)
    assert "Has cerrado sesión." in visible_text(answer)


def test_deleting_an_account_in_spanish(app, make_user):
    make_user("bob")
    web = person(app, "es")
    web.login("bob")
    page = web.get("/account/delete")
    text = visible_text(page)
    assert "¿Eliminar tu cuenta bob?" in text and "Esto no se puede deshacer." in text
    assert_no_english(page)
    wrong = web.post_form("/account/delete", {"password": "not the password at all"})
    assert "Esa no es tu contraseña." in visible_text(wrong)
    gone = web.post_form("/account/delete", {"password": PASSWORD}, follow_redirects=True)
    assert "La cuenta bob se ha eliminado." in visible_text(gone)


def test_signing_up_in_spanish(app):
    with app.app_context():
        change_site_setting("REGISTRATION", "open")
    web = person(app, "es")
    page = web.get("/signup/")
    text = visible_text(page)
    for words in ("Registrarse", "Elige un nombre de usuario y una contraseña.", "Crear cuenta",
                  "¿Ya tienes cuenta?"):
        assert words in text
    assert_no_english(page)
    weak = web.post_form("/signup/", {"username": "carol", "new_password": "carol and me",
                                      "new_password_again": "carol and me"})
    assert "La contraseña no puede contener el nombre de usuario." in visible_text(weak)
    assert_no_english(weak)


def test_closed_sign_up_says_so_in_german(client):
    answer = client.get("/signup/", headers=GERMAN)
    assert answer.status_code == 404
    assert "ein Administrator legt die Konten an" in visible_text(answer)
    assert_no_english(answer)


def test_the_reset_pages_in_german_without_mail(app, client):
    page = client.get("/reset-password/", headers=GERMAN)
    assert "Diese Website versendet keine E-Mails." in visible_text(page)
    assert_no_english(page)
    dead = client.get("/reset-password/" + "x" * 59, headers=GERMAN)
    assert dead.status_code == 404
    assert "Dieser Link zum Zurücksetzen des Passworts" in visible_text(dead)
    assert_no_english(dead)


def test_a_reset_by_mail_in_german(mail_app, smtp_server):
    with mail_app.app_context():
        service.create_user("carol", PASSWORD, email="carol@example.org")
    web = person(mail_app, "de")
    page = web.get("/reset-password/")
    assert "Die E-Mail-Adresse Ihres Kontos" in visible_text(page)
    assert_no_english(page)
    answer = web.post_form("/reset-password/", {"email": "carol@example.org"},
                           follow_redirects=True)
    assert "Wenn ein Konto diese Adresse hat" in visible_text(answer)
    [mail] = smtp_server.wait_for("carol@example.org")
    assert mail["Subject"] == "Neues Passwort wählen"
    body = mail_text(mail)
    assert body.startswith("Hallo carol,") and "Ihr Passwort bleibt, wie es ist." in body
    assert "Someone" not in body and "The link works once" not in body
    form = web.get(link_in(mail))
    assert "Neues Passwort für carol wählen" in visible_text(form)
    assert_no_english(form)


def test_the_email_pages_and_the_confirmation_mail_in_spanish(mail_app, smtp_server):
    with mail_app.app_context():
        service.create_user("carol", PASSWORD)
    web = person(mail_app, "es")
    web.login("carol")
    page = web.get("/account/email")
    assert "Ahora: ninguna." in visible_text(page)
    assert_no_english(page)
    answer = web.post_form("/account/email", {"email": "carol@example.org",
                                              "current_password": PASSWORD},
                           follow_redirects=True)
    assert "Hemos enviado un enlace a carol@example.org." in visible_text(answer)
    [mail] = smtp_server.wait_for("carol@example.org")
    assert mail["Subject"] == "Confirma tu dirección de correo electrónico"
    assert mail_text(mail).startswith("Hola, carol:")
    confirm = web.get(link_in(mail))
    assert "Confirma carol@example.org como la dirección de la cuenta carol." in visible_text(
        confirm)
    assert_no_english(confirm)


def test_the_command_line_stays_english(runner):
    answer = runner.invoke(args=["users", "create", "carol", "--password-stdin"], input="short\n")
    assert answer.exit_code == 1
    assert "The password must be at least 8 characters." in answer.output
