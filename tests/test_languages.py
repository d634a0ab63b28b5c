"""Pages in the reader's language: English, German and Spanish, chosen from
the browser's Accept-Language or fixed by the LANGUAGE setting, with dates
written by Babel; kept pages, ETags and proxies keep each language apart;
the catalogues are complete, keep every placeholder and are compiled; and
``flask translate`` starts, updates and compiles a catalogue."""
import io
import os
import re
import shutil
from datetime import datetime

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from werkzeug.datastructures import MultiDict

from scratchpad import create_app
from scratchpad.config import SettingError
from scratchpad.accounts.join_forms import EmailForm
from scratchpad.site import translate
from scratchpad.site.languages import TRANSLATIONS_DIRECTORY, available_languages

from .helpers import add_comment, create_user, visible_text

TRANSLATED = ("de", "es")
# The navigation bar's way in, as each language says it.
LOG_IN = {"en": "Log in", "de": "Anmelden", "es": "Iniciar sesión"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def page_language(response):
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("accept_language, expected", [
    (None, "en"),
    ("de", "de"),
    ("de-DE,de;q=0.9,en;q=0.8", "de"),
    ("es-MX,es;q=0.9", "es"),
    ("fr-FR,fr;q=0.9,es;q=0.5,de;q=0.4", "es"),
    ("en-US,en;q=0.9,de;q=0.8", "en"),
    ("fr", "en"),
    ("*", "en"),
    ("de;q=nonsense, es;q=2", "en"),
    ("x" * 3000, "en"),
])
def test_the_browser_chooses_among_the_languages(app, client, accept_language, expected):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert page_language(response) == expected
    assert LOG_IN[expected] in visible_text(response)
    assert "Accept-Language" in response.vary


def test_the_setting_fixes_the_language_whatever_the_browser_asks(database, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database.url, "SECRET_KEY": "k" * 32,
                      "LANGUAGE": "de"})
    response = app.test_client().get("/login/", headers={"Accept-Language": "es"})
    assert page_language(response) == "de" and "Anmelden" in visible_text(response)
    assert "Accept-Language" not in response.vary


def test_a_language_setting_without_a_catalogue_stops_the_site_with_the_reason(database):
    with pytest.raises(SettingError, match="SCRATCHPAD_LANGUAGE is 'fr'.*en, de, es"):
        create_app({"DATABASE_URL": database.url, "SECRET_KEY": "k" * 32, "LANGUAGE": "fr"})


@pytest.mark.parametrize("path", ["/", "/login/", "/no-such-page", "/search?q=fox",
                                  "/comments/999999"])
def test_every_page_says_it_varies_by_language(app, client, path):
    assert "Accept-Language" in client.get(path).vary


def test_static_files_and_the_api_do_not_vary_by_language(app, client):
    for path in ("/static/scratchpad.js", "/api/v1/openapi.json", "/api/v1/comments"):
        response = client.get(path, headers={"Accept-Language": "de"})
        assert "Accept-Language" not in response.vary, path


def test_kept_pages_and_etags_keep_each_language_apart(app, client):
    english = client.get("/")
    german = client.get("/", headers={"Accept-Language": "de"})
    assert german.headers["ETag"] != english.headers["ETag"]
    assert "Anmelden" in visible_text(german)

    # An English copy's ETag gets a German reader the German page, not a 304.
    asked_again = client.get("/", headers={"Accept-Language": "de",
                                           "If-None-Match": english.headers["ETag"]})
    assert asked_again.status_code == 200 and "Anmelden" in visible_text(asked_again)
    same_again = client.get("/", headers={"Accept-Language": "de",
                                          "If-None-Match": german.headers["ETag"]})
    assert same_again.status_code == 304 and "Accept-Language" in same_again.vary

    kept_english = client.get("/")
    assert kept_english.get_data() == english.get_data()
    assert "Log in" in visible_text(kept_english) and "Anmelden" not in visible_text(kept_english)


def test_dates_are_written_for_the_language(app, client):
    bob = create_user(app, "bob")
    add_comment(app, "Written at 17:44 UTC", datetime(2017, 9, 1, 17, 44), bob)
    english = visible_text(client.get("/"))  # each comment's part is kept after this
    german = visible_text(client.get("/", headers={"Accept-Language": "de"}))
    spanish = visible_text(client.get("/", headers={"Accept-Language": "es"}))
    assert "Friday, September 1, 2017, 5:44 PM" in english
    assert "Freitag, 1. September 2017, 17:44" in german
    assert "viernes, 1 de septiembre de 2017, 17:44" in spanish
    assert "Friday" not in german and "Friday" not in spanish


@pytest.mark.parametrize("language, required", [("en", "This field is required."),
                                                ("de", "Dieses Feld wird benötigt."),
                                                ("es", "Este campo es obligatorio.")])
def test_wtforms_own_messages_come_in_the_language_too(app, language, required):
    with app.test_request_context(headers={"Accept-Language": language}):
        form = EmailForm(formdata=MultiDict({"email": "bob@example.org"}), meta={"csrf": False})
        assert not form.validate()
        assert form.current_password.errors == [required]


# The catalogues themselves.

def extracted_ids(tmp_path):
    template_path = tmp_path / "messages.pot"
    translate.extract_words(str(template_path))
    with open(template_path, "rb") as template:
        return {message.id for message in read_po(template) if message.id}


def catalogue(language):
    with open(translate.catalogue_path(language), "rb") as po_file:
        return read_po(po_file, locale=language)


def test_the_site_has_german_and_spanish_catalogues():
    assert available_languages() == ["en", *TRANSLATED]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_of_the_site_is_translated(tmp_path, language):
    wanted = extracted_ids(tmp_path)
    assert len(wanted) > 300
    held = {message.id for message in catalogue(language) if message.id}
    assert sorted(map(str, wanted - held)) == [], "run `flask translate update`"
    assert translate.missing_translations(language) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in filter(None, strings):  # untranslated: the test above
            found = set(PLACEHOLDER.findall(string))
            # A singular may say "one" in words rather than with its number.
            if found != wanted and not (len(ids) == 2 and found < wanted):
                problems.append((ids[0], string))
        problems.extend((ids[0], str(error)) for _, errors in [(message, message.check())]
                        for error in errors)
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogues_are_those_of_the_sources(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    mo_path = translate.catalogue_path(language)[:-3] + ".mo"
    with open(mo_path, "rb") as mo_file:
        assert mo_file.read() == compiled.getvalue(), "run `flask translate compile`"


# Adding a language.

@pytest.fixture
def translations_copy(tmp_path, monkeypatch):
    directory = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS_DIRECTORY, directory)
    monkeypatch.setattr(translate, "TRANSLATIONS_DIRECTORY", str(directory))
    return directory


def test_flask_translate_adds_a_language(app, runner, translations_copy):
    started = runner.invoke(args=["translate", "init", "fr"])
    assert started.exit_code == 0, started.output
    po_path = translations_copy / "fr" / "LC_MESSAGES" / "messages.po"
    assert "then run `flask translate compile`" in started.output

    status = runner.invoke(args=["translate", "status"])
    assert status.exit_code == 1 and "fr: " in status.output and "de: 0 missing" in status.output

    with open(po_path, "rb") as po_file:
        french = read_po(po_file, locale="fr")
    for message in french:
        if message.id:
            message.string = (message.id if isinstance(message.id, str) else
                              (message.id[0],) + (message.id[1],) * (french.num_plurals - 1))
    with open(po_path, "wb") as po_file:
        write_po(po_file, french)
    assert runner.invoke(args=["translate", "status"]).exit_code == 0

    compiled = runner.invoke(args=["translate", "compile"])
    assert compiled.exit_code == 0, compiled.output
    assert available_languages(str(translations_copy)) == ["en", "de", "es", "fr"]
    updated = runner.invoke(args=["translate", "update"])
    assert updated.exit_code == 0 and "fr: 0 texts to translate." in updated.output


@pytest.mark.parametrize("language, reason", [("en", "written in English"),
                                              ("de", "use `flask translate update`")])
def test_flask_translate_init_refuses_what_needs_no_new_catalogue(
        app, runner, translations_copy, language, reason):
    result = runner.invoke(args=["translate", "init", language])
    assert result.exit_code == 2 and reason in result.output
    assert sorted(os.listdir(translations_copy)) == ["babel.cfg", "de", "es"]
