"""The board, the search, the error pages and the feeds in German and Spanish:
every text of theirs comes from the catalogues, and the feeds' ETags and
Vary headers keep one copy per language apart."""
import re
from datetime import datetime

import pytest
from werkzeug.exceptions import ServiceUnavailable

from scratchpad import create_app
from scratchpad.extensions import db
from scratchpad.site import database_problems, errors

from .helpers import WebUser, add_comment, newest_comment_id, visible_text

GERMAN = {"Accept-Language": "de"}
SPANISH = {"Accept-Language": "es"}

# English sentences of these pages that must not be left on a translated page.
ENGLISH = [
    "My scratchpad", "Skip to the content", "Search the comments", "Search comments",
    "Colour theme", "System theme", "Light theme", "Dark theme", "Log in", "Log out",
    "Scratchpad, a comment board.", "anyone can read the comments", "Times are shown in",
    "to post a comment", "No comments here yet.", "Posted ", " by ", "Comment by",
    "Reply by", "Replies", "this comment", "Write a reply", "Write something", "Up to ",
    "Formatting:", "Post comment", "Your comment", "Newer comments", "Older comments",
    "Waiting for approval", "Hidden by a moderator", "Anonymous Coward", "Back to the comments",
    "Words to find", "Comments containing every word", "No comments contain",
    "Cancel", "Delete comment", "Delete this comment?", "Edit comment", "Reply to",
    "The comment will be marked as edited", "Earlier versions", "Replaced", "It is on",
]


def words_and_attributes(response):
    """What a reader sees or hears: the text and the attributes made for people."""
    html = response.get_data(as_text=True)
    attributes = re.findall(r'(?:placeholder|title|aria-label|content|data-[a-z-]+)="([^"]*)"',
                            html)
    return visible_text(response) + " " + " ".join(attributes)


def assert_no_english(response):
    text = words_and_attributes(response)
    left = [sentence for sentence in ENGLISH if sentence in text]
    assert not left, f"English left on the page: {left}"


@pytest.fixture
def people(make_user):
    return {"bob": make_user("bob"), "alice": make_user("alice")}


@pytest.fixture
def bob(app, people):
    bob = WebUser(app.test_client())
    bob.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    assert bob.login("bob").status_code == 302
    return bob


def test_a_new_board_welcomes_in_german(client):
    response = client.get("/", headers=GERMAN)
    text = visible_text(response)
    assert "Willkommen bei Ihrem neuen Scratchpad" in text
    assert "Es gibt noch kein Konto." in text
    assert "Oder legen Sie ihn auf der Kommandozeile des Servers an: flask --app" in text
    assert "Hier gibt es noch keine Kommentare." in text
    assert_no_english(response)


def test_the_board_in_german_for_a_visitor(app, client, people):
    add_comment(app, "Hallo", datetime(2017, 9, 1, 17, 44))
    response = client.get("/", headers=GERMAN)
    assert response.status_code == 200
    text = words_and_attributes(response)
    for german in ("Mein Scratchpad", "Zum Inhalt springen", "Kommentare durchsuchen",
                   "Veröffentlicht am Freitag, 1. September 2017, 17:44 von Anonymer Feigling",
                   "Anmelden , um einen Kommentar zu veröffentlichen.",  # a space for the link
                   "Zeiten werden in UTC angezeigt.", "Kommentar von Anonymer Feigling",
                   "Farbdesign", "Dunkles Design", "Alle können die Kommentare lesen"):
        assert german in text
    assert '<html lang="de">' in response.get_data(as_text=True)
    assert_no_english(response)


def test_the_board_in_spanish_for_a_member_with_reply_boxes(app, people, bob):
    bob.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    alice_comment = add_comment(app, "Hola", datetime(2017, 9, 1, 17, 44),
                                commenter_id=people["alice"])
    add_comment(app, "Respuesta", datetime(2017, 9, 1, 18, 0), commenter_id=people["bob"],
                parent_id=alice_comment)
    response = bob.get("/")
    assert response.status_code == 200
    text = words_and_attributes(response)
    html = response.get_data(as_text=True)
    for spanish in ("Publicar un comentario", "Publicar comentario", "Escribe algo…",
                    "Escribe una respuesta…", "Hasta 4096 caracteres.", "Formato:",
                    "Publicado el viernes, 1 de septiembre de 2017, 17:44 por alice",
                    "Comentario de alice", "Respuesta de bob", "Respuestas", "Denunciar",
                    "Eliminar", "Cerrar sesión", "Las horas se muestran en UTC."):
        assert spanish in text
    assert 'Responder<span class="visually-hidden"> a este comentario</span>' in html
    assert_no_english(response)


def test_messages_and_form_errors_in_german(app, bob):
    posted = bob.post_comment("Guten Tag", follow_redirects=True)
    assert "Ihr Kommentar wurde veröffentlicht." in visible_text(posted)
    empty = bob.post_comment("")
    assert empty.status_code == 400
    assert "Schreiben Sie etwas, bevor Sie veröffentlichen." in visible_text(empty)
    too_long = bob.post_comment("x" * 5000)
    assert "Ein Kommentar darf höchstens 4096 Zeichen lang sein." in visible_text(too_long)

    comment_id = newest_comment_id(app)
    edit = bob.get(f"/comments/{comment_id}/edit")
    assert "Kommentar bearbeiten" in visible_text(edit)
    assert "Der Kommentar wird als bearbeitet gekennzeichnet" in visible_text(edit)
    assert_no_english(edit)
    saved = bob.post_form(f"/comments/{comment_id}/edit", {"contents": "Guten Abend"},
                          follow_redirects=True)
    assert "Ihre Änderungen wurden gespeichert." in visible_text(saved)
    assert "bearbeitet am" in visible_text(saved)

    reply = bob.get(f"/comments/{comment_id}/reply")
    assert "Antwort an bob" in visible_text(reply)
    assert_no_english(reply)
    delete = bob.get(f"/comments/{comment_id}/delete")
    assert "Diesen Kommentar löschen?" in visible_text(delete)
    assert "Abbrechen" in visible_text(delete)
    assert_no_english(delete)
    deleted = bob.post_form(f"/comments/{comment_id}/delete", {}, follow_redirects=True)
    assert "Der Kommentar wurde gelöscht." in visible_text(deleted)


def test_a_comment_page_in_spanish(app, client):
    first = add_comment(app, "Hola", datetime(2017, 9, 1, 17, 44))
    reply = add_comment(app, "Adiós", datetime(2017, 9, 1, 18, 0), parent_id=first)
    response = client.get(f"/comments/{reply}", headers=SPANISH)
    text = words_and_attributes(response)
    assert "Una respuesta de Cobarde anónimo" in text
    assert "Está en la página del tablón que empieza con este hilo" in text
    assert "Este hilo" in text  # the feed's title
    assert_no_english(response)


def test_the_search_page_in_spanish_and_german(app, client):
    add_comment(app, "Manzanas verdes", datetime(2017, 9, 1, 17, 44))
    empty = client.get("/search", headers=SPANISH)
    assert "Escribe una o más palabras" in visible_text(empty)
    assert_no_english(empty)
    nothing = client.get("/search?q=peras", headers=SPANISH)
    assert "Ningún comentario contiene esa palabra." in visible_text(nothing)
    assert "Búsqueda: peras" in visible_text(nothing)
    assert_no_english(nothing)
    found = client.get("/search?q=manzanas", headers=GERMAN)
    assert "Veröffentlicht am Freitag, 1. September 2017, 17:44 von Anonymer Feigling" \
        in visible_text(found)
    assert_no_english(found)
    refused = client.get("/search?q=" + "a" * 201, headers=GERMAN)
    assert refused.status_code == 400
    assert "Eine Suche darf höchstens 200 Zeichen lang sein." in visible_text(refused)


@pytest.mark.parametrize("path, method, code, title, explanation", [
    ("/comments/999", "GET", 404, "Nicht gefunden", "Diesen Kommentar gibt es nicht."),
    ("/no-such-page", "GET", 404, "Nicht gefunden",
     "Die angeforderte Adresse wurde auf dem Server nicht gefunden."),
    ("/?before=x", "GET", 400, "Ungültige Anfrage", "Diese Seite gibt es nicht:"),
    ("/search", "DELETE", 405, "Methode nicht erlaubt",
     "Die Methode ist für die angeforderte Adresse nicht erlaubt."),
])
def test_error_pages_in_german(client, path, method, code, title, explanation):
    response = client.open(path, method=method, headers=GERMAN)
    assert response.status_code == code
    text = visible_text(response)
    assert title in text and explanation in text and "Zurück zu den Kommentaren" in text
    assert_no_english(response)


def test_a_form_that_cannot_be_read_is_refused_in_spanish(client):
    response = client.post("/", data="contents=a&contents=b", headers={
        **SPANISH, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert "No se pudo leer el formulario: tenía el campo 'contents' más de una vez." \
        in visible_text(response)


def test_the_json_api_keeps_its_errors_in_english(client):
    response = client.get("/api/v1/no-such-thing", headers=GERMAN)
    assert response.status_code == 404
    assert "The requested URL was not found" in response.get_data(as_text=True)


def test_the_feeds_in_spanish(app, client, make_user):
    bob = make_user("bob")
    first = add_comment(app, "", datetime(2017, 9, 1, 17, 44))
    add_comment(app, "Hola", datetime(2017, 9, 1, 18, 0), commenter_id=bob, parent_id=first)
    board = client.get("/feed.atom", headers=SPANISH).get_data(as_text=True)
    assert "Mi Scratchpad: los comentarios más recientes" in board
    assert "Un comentario de Cobarde anónimo" in board
    thread = client.get(f"/comments/{first}/feed.atom", headers=SPANISH).get_data(as_text=True)
    assert "Mi Scratchpad: un hilo iniciado por Cobarde anónimo" in thread


@pytest.fixture
def german_offered(app):
    """German offered whether or not its catalogue is compiled: the feed's
    ETag and Vary follow the language chosen, not the words."""
    languages = app.extensions["scratchpad_languages"]
    app.extensions["scratchpad_languages"] = tuple(dict.fromkeys([*languages, "de"]))
    return app


def test_each_language_has_its_own_feed_etag_and_every_answer_varies(german_offered, client):
    add_comment(german_offered, "Hello", datetime(2017, 9, 1, 17, 44))
    english = client.get("/feed.atom", headers={"Accept-Language": "en"})
    german = client.get("/feed.atom", headers=GERMAN)
    assert english.headers["ETag"] != german.headers["ETag"]
    for response in (english, german):
        assert "Accept-Language" in response.headers["Vary"]

    again = client.get("/feed.atom", headers={**GERMAN, "If-None-Match": german.headers["ETag"]})
    assert again.status_code == 304
    assert "Accept-Language" in again.headers["Vary"]
    assert again.headers["ETag"] == german.headers["ETag"]
    # An English copy is not current for a German reader.
    other = client.get("/feed.atom", headers={**GERMAN, "If-None-Match": english.headers["ETag"]})
    assert other.status_code == 200


def test_without_the_page_cache_the_feed_still_varies(german_offered, client):
    german_offered.extensions.pop("scratchpad_page_cache", None)
    german = client.get("/feed.atom", headers=GERMAN)
    again = client.get("/feed.atom", headers={**GERMAN, "If-None-Match": german.headers["ETag"]})
    assert again.status_code == 304
    assert "Accept-Language" in again.headers["Vary"]


def test_a_fixed_language_has_no_vary(app, client):
    app.config["LANGUAGE"] = "en"
    response = client.get("/feed.atom", headers=GERMAN)
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_too_many_searches_in_spanish(app, database):
    limited = create_app({
        "TESTING": True,
        "DATABASE_URL": database.url,
        "SECRET_KEY": "test secret key, long enough for production",
        "RATELIMIT_ENABLED": True,
        "SEARCH_LIMITS_PER_ADDRESS": "1 per minute",
    })
    client = limited.test_client()
    try:
        assert client.get("/search?q=uno", headers=SPANISH).status_code == 200
        refused = client.get("/search?q=dos", headers=SPANISH)
        assert refused.status_code == 429
        text = visible_text(refused)
        assert "Demasiadas solicitudes" in text
        assert re.search(r"Ha habido demasiadas búsquedas desde tu dirección\. "
                         r"Vuelve a intentarlo dentro de \d+ segundos?\.", text)
    finally:
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("problem, german", [
    (database_problems.NOT_ANSWERING, "Die Datenbank antwortet gerade nicht"),
    (database_problems.OUT_OF_SPACE, "Die Datenbank hat keinen Speicherplatz mehr"),
    (database_problems.READ_ONLY, "Die Datenbank kann gerade gelesen, aber nicht beschrieben"),
])
def test_the_database_problem_pages_in_german(app, problem, german):
    with app.test_request_context("/", headers=GERMAN):
        page, status, _ = errors.render_error(ServiceUnavailable(), problem.visitor_message,
                                              database_unavailable=True)
    assert status == 503
    assert "Dienst nicht verfügbar" in page and german in page
