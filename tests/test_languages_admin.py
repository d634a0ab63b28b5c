"""The administrators' pages, the comment queue, reporting and the API token
pages in German and Spanish: their words, dates and messages come from the
catalogues, and none of their English sentences is left."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from scratchpad.extensions import db
from scratchpad.models import ApiToken, utc_now

from .helpers import PASSWORD, WebUser, add_comment, visible_text

ENGLISH = [
    "Add a user", "Make admin", "Invitation links", "Who can create an account",
    "Make an invitation link", "It creates one account", "No invitations yet",
    "Here is the new invitation link", "Registration is closed", "Withdraw",
    "The site does not send email", "Report this comment?", "An administrator will look at it",
    "Waiting for approval", "Reported 1 time", "Dismiss reports", "Older comments",
    "No comments are waiting", "API tokens", "A personal access token", "Make a token",
    "never expires", "never used", "Revoke", "Copy it now", "Send it with each request",
    "It never expires", "Back to your account", "Expires after", "Never (until you revoke it)",
    "December",
]

WORDS = {
    "de": {
        "users": ["Benutzer hinzufügen", "Zum Admin machen", "Einladungslinks", "Deaktivieren",
                  "Administrator Aktiv", "Benutzer Aktiv", "Wer ein Konto erstellen kann"],
        "invitations": ["Einladungslink erstellen",
                        "Mit ihm lässt sich ein Konto erstellen; unbenutzt bleibt er 7 Tage lang gültig.",
                        "Hier ist der neue Einladungslink.", "Offen", "Zurückziehen",
                        "Die Registrierung ist geschlossen", "von root"],
        "settings": ["Einstellungen", "Die Website verschickt keine E-Mails", "Speichern"],
        "queue": ["Wartet auf Freigabe", "1-mal gemeldet", "carol: „Spam“", "Ausstehend",
                  "Meldungen verwerfen", "Freigeben"],
        "report": ["Diesen Kommentar melden?", "Kommentar melden", "Abbrechen"],
        "reported": "Danke: Die Administratoren sehen sich den Kommentar an.",
        "again": "Sie haben diesen Kommentar bereits gemeldet.",
        "too long": "Eine Begründung darf höchstens 500 Zeichen lang sein.",
        "account": ["API-Tokens", "Skript", "Token erstellen", "Erstellt am 1. Juni 2026, 09:30 UTC",
                    "läuft am 1. Juli 2030, 09:30 UTC ab", "nie genutzt", "läuft nie ab"],
        "new token": ["Neues API-Token", "Gültigkeitsdauer", "30 Tage", "1 Jahr",
                      "Nie (bis Sie es widerrufen)"],
        "token made": ["Ihr neues API-Token „ein Skript“", "Senden Sie es mit jeder Anfrage",
                       "Es läuft nie ab"],
        "revoked": "Das Token „ein Skript“ wurde widerrufen: Es funktioniert nicht mehr.",
        "added": "Benutzer dave hinzugefügt.",
    },
    "es": {
        "users": ["Añadir un usuario", "Hacer admin", "Enlaces de invitación", "Desactivar",
                  "Administrador Activo", "Usuario Activo", "Quién puede crear una cuenta"],
        "invitations": ["Crear un enlace de invitación",
                        "Sirve para crear una cuenta y caduca al cabo de 7 días si no se usa.",
                        "Aquí tienes el nuevo enlace de invitación.", "Abierta", "Retirar",
                        "El registro está cerrado", "por root"],
        "settings": ["Ajustes", "El sitio no envía correo electrónico", "Guardar"],
        "queue": ["Pendiente de aprobación", "Denunciado 1 vez", "carol: «Spam»", "Pendientes",
                  "Descartar denuncias", "Aprobar"],
        "report": ["¿Denunciar este comentario?", "Denunciar comentario", "Cancelar"],
        "reported": "Gracias: los administradores revisarán el comentario.",
        "again": "Ya has denunciado este comentario.",
        "too long": "El motivo puede tener como máximo 500 caracteres.",
        "account": ["Tokens de API", "script", "Crear un token", "Creado el 1 de junio de 2026, 9:30 UTC",
                    "caduca el 1 de julio de 2030, 9:30 UTC", "nunca usado", "no caduca nunca"],
        "new token": ["Nuevo token de API", "Caduca al cabo de", "30 días", "1 año",
                      "Nunca (hasta que lo revoques)"],
        "token made": ["Tu nuevo token de API «ein Skript»", "Envíalo con cada petición",
                       "No caduca nunca"],
        "revoked": "Se ha revocado el token «ein Skript»: ya no funciona.",
        "added": "Se ha añadido el usuario dave.",
    },
}


def speaking(client, language):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return WebUser(client)


def assert_translated(page, expected):
    assert page.status_code == 200
    text = visible_text(page)
    for words in expected:
        assert words in text
    for sentence in ENGLISH:
        assert sentence not in text, sentence


@pytest.fixture(params=["de", "es"])
def language(request):
    return request.param


@pytest.fixture
def root(app, make_user, language):
    make_user("root", is_admin=True)
    user = speaking(app.test_client(), language)
    assert user.login("root").status_code == 302
    return user


def test_the_users_invitations_and_settings_pages(app, root, language, make_user):
    make_user("bob")
    words = WORDS[language]
    assert_translated(root.get("/admin/users/"), words["users"])
    added = root.post_form("/admin/users/", {"username": "dave", "new_password": PASSWORD,
                                             "new_password_again": PASSWORD},
                           follow_redirects=True)
    assert words["added"] in visible_text(added)

    assert_translated(root.get("/admin/settings/"), words["settings"])
    made = root.post_form("/admin/invitations/", {"note": "für Ana"})
    assert_translated(made, words["invitations"])
    assert "für Ana" in visible_text(made)


def test_the_comment_queue_and_the_report_page(app, root, language, make_user):
    words = WORDS[language]
    bob = make_user("bob")
    make_user("carol")
    carol = speaking(app.test_client(), language)
    carol.login("carol")
    add_comment(app, "Held back", posted=utc_now(), commenter_id=bob, is_held=True)
    rude = add_comment(app, "Buy cheap watches", posted=utc_now(), commenter_id=bob)

    assert_translated(carol.get(f"/comments/{rude}/report"), words["report"])
    reported = carol.post_form(f"/comments/{rude}/report", {"reason": "Spam"},
                               follow_redirects=True)
    assert words["reported"] in visible_text(reported)
    again = carol.post_form(f"/comments/{rude}/report", {"reason": "Spam"},
                            form_page=f"/comments/{rude}/report")
    assert again.status_code == 409 and words["again"] in visible_text(again)
    other = add_comment(app, "Another one", posted=utc_now(), commenter_id=bob)
    too_long = carol.post_form(f"/comments/{other}/report", {"reason": "x" * 501})
    assert too_long.status_code == 400 and words["too long"] in visible_text(too_long)
    assert_translated(root.get("/admin/comments/"), words["queue"])


def test_the_api_token_pages(app, root, language):
    words = WORDS[language]
    assert_translated(root.get("/account/tokens/new"), words["new token"])
    made = root.post_form("/account/tokens/new", {"name": "ein Skript", "lifetime": "never"})
    assert_translated(made, words["token made"])
    dated = root.post_form("/account/tokens/new", {"name": "backup", "lifetime": "30"})
    assert dated.status_code == 200
    with app.app_context():
        db.session.execute(sa.update(ApiToken).where(ApiToken.name == "backup").values(
            created=datetime(2026, 6, 1, 9, 30), expires=datetime(2030, 7, 1, 9, 30)))
        db.session.commit()

    account = root.get("/account/")
    html = account.get_data(as_text=True)
    tokens = html[html.index('id="api-tokens-heading"'):]
    tokens = tokens[:tokens.index("</section>")]
    account.set_data("<h2 " + tokens)
    assert_translated(account, words["account"])

    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.name == "ein Skript"))
    revoked = root.post_form(f"/account/tokens/{token_id}/revoke", {}, form_page="/account/",
                             follow_redirects=True)
    assert words["revoked"] in visible_text(revoked)
