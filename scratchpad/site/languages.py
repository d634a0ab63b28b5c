"""The language of each page: English, or a language the site has a
catalogue for in ``scratchpad/translations/``, chosen by the operator's
``LANGUAGE`` setting or else from the browser's ``Accept-Language``.

Every answer that can differ by language (pages, feeds) says so with
``Vary: Accept-Language``, so that a proxy or CDN in front keeps one copy per
language; the board's page cache and ETags include the language too.
"""
import functools
import os

from babel import Locale
from babel.dates import get_datetime_format
from flask import current_app, has_request_context, request
from flask_babel import Babel, format_date, format_time, get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..config import SettingError

SOURCE_LANGUAGE = "en"
TRANSLATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")

babel = Babel()


def available_languages(directory=TRANSLATIONS_DIRECTORY):
    """English, then every language with a compiled catalogue, by code."""
    found = []
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            if os.path.isfile(os.path.join(directory, name, "LC_MESSAGES", "messages.mo")):
                found.append(name)
    return [SOURCE_LANGUAGE, *found]


def select_language():
    """The setting when there is one, else the browser's best match; outside
    a request (the ``flask`` commands), English."""
    chosen = current_app.config["LANGUAGE"]
    if chosen:
        return chosen
    if not has_request_context():
        return SOURCE_LANGUAGE
    return best_language(request.headers.get("Accept-Language", ""),
                         current_app.extensions["scratchpad_languages"])


@functools.lru_cache(maxsize=256)
def best_language(accept_language, languages):
    """The best of ``languages`` for an ``Accept-Language`` header, else
    English. Browsers send a few distinct headers: each is read once."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(
        languages, default=SOURCE_LANGUAGE)


def language_for(config, languages, accept_language):
    """The language of a page asked for with this ``Accept-Language`` header,
    outside Flask's request handling (the board's front door)."""
    return config["LANGUAGE"] or best_language(accept_language, languages)


def page_language():
    """The language of this request's page, as a code such as ``de``."""
    return str(get_locale())


def date_and_time_text(moment, date_style):
    """A date in ``date_style`` with its time, joined as the page's language
    joins them, in UTC."""
    return (get_datetime_format(date_style, locale=get_locale()).replace("'", "")
            .replace("{1}", format_date(moment, date_style))
            .replace("{0}", format_time(moment, "short")))


def moment_text(moment):
    """A date and time in full for the page's language, in UTC: ``Friday,
    September 1, 2017, 5:44 PM`` or ``Freitag, 1. September 2017, 17:44``."""
    return date_and_time_text(moment, "full")


def short_moment_text(moment):
    """``September 1, 2017, 5:44 PM``: a date and time where space is short."""
    return date_and_time_text(moment, "long")


def day_text(moment):
    """``September 1, 2017``."""
    return format_date(moment, "long")


def language_name(code):
    """A language's name in itself, for the list of languages: ``Deutsch``."""
    return Locale.parse(code).get_display_name(code).capitalize()


def may_vary_by_language(response):
    """Pages, feeds and their 304s may; static files and the JSON API (always
    in English) may not."""
    if request.endpoint and request.endpoint.rpartition(".")[2] == "static":
        return False
    return response.mimetype != "application/json"


def say_answers_vary_by_language(response):
    if not current_app.config["LANGUAGE"] and may_vary_by_language(response):
        response.vary.add("Accept-Language")
    return response


def check_language_setting(app):
    chosen = app.config["LANGUAGE"]
    if chosen and chosen not in app.extensions["scratchpad_languages"]:
        raise SettingError(
            f"SCRATCHPAD_LANGUAGE is {chosen!r}, but the site has no catalogue for it; "
            f"it has: {', '.join(app.extensions['scratchpad_languages'])}.")


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", SOURCE_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIRECTORY)
    app.extensions["scratchpad_languages"] = tuple(available_languages())
    check_language_setting(app)
    babel.init_app(app, locale_selector=select_language)
    app.after_request(say_answers_vary_by_language)
    app.add_template_global(page_language)
    app.add_template_filter(moment_text)
    app.add_template_filter(short_moment_text)
    app.add_template_filter(day_text)
