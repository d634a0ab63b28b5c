"""The login and comment forms, fuzzed: whatever arrives, the answer is not a
5xx, a crash surfaces (exceptions propagate), a refused form stores nothing,
and no Markdown renders as a script, an event handler or a hostile link. SQLite only, and few examples, to keep the suite quick."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from scratchpad.extensions import db
from scratchpad.board.forms import unify_line_breaks
from scratchpad.models import User

from .helpers import PASSWORD, all_comments, csrf_token, is_logged_in

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

fuzz = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Anything a form field can carry (a lone surrogate cannot be encoded at all).
field_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
field_names = st.sampled_from(["username", "password", "remember", "contents", "csrf_token",
                               "submit", "next"]) | field_text


@pytest.fixture
def fuzzed(app, web, make_user):
    app.config["PROPAGATE_EXCEPTIONS"] = True
    make_user("bob")
    return web


def user_count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(User))


@fuzz
@given(username=field_text, password=field_text, remember=field_text)
def test_login_form(app, fuzzed, username, password, remember):
    response = fuzzed.post_form("/login/", {"username": username, "password": password,
                                            "remember": remember})
    assert response.status_code < 500
    if (username, password) != ("bob", PASSWORD):
        assert response.status_code in (400, 401)
        assert not is_logged_in(fuzzed)
    assert user_count(app) == 1


@fuzz
@given(fields=st.lists(st.tuples(field_names, field_text), max_size=6))
def test_login_form_with_any_fields(app, fuzzed, fields):
    token = csrf_token(fuzzed.client)
    response = fuzzed.client.post("/login/", data=MultiDict([("csrf_token", token), *fields]))
    assert response.status_code < 500
    assert not is_logged_in(fuzzed)
    assert user_count(app) == 1


@fuzz
@given(body=st.binary(max_size=400))
def test_login_form_raw_bytes(app, fuzzed, body):
    token = csrf_token(fuzzed.client).encode()
    response = fuzzed.client.post("/login/", data=b"csrf_token=" + token + b"&" + body,
                                  content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    assert not is_logged_in(fuzzed)


@fuzz
@given(target=field_text)
def test_where_login_leads(app, fuzzed, target):
    fuzzed.client.delete_cookie("session")
    response = fuzzed.post_form("/login/", {"username": "bob", "password": PASSWORD},
                                query_string={"next": target}, form_page="/login/")
    assert response.status_code == 302
    location = response.location
    assert location.startswith("/") and not location.startswith("//")
    assert "\\" not in location


@pytest.fixture
def poster(fuzzed):
    fuzzed.login()
    return fuzzed


@fuzz
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=5000))
def test_comment_form(app, poster, text):
    before = all_comments(app)
    response = poster.post_comment(text)
    assert response.status_code < 500
    after = all_comments(app)
    if response.status_code == 302:
        assert after[:-1] == before
        assert after[-1][1] == unify_line_breaks(text)
    else:
        assert response.status_code == 400
        assert after == before


@fuzz
@given(body=st.binary(max_size=400))
def test_comment_form_raw_bytes(app, poster, body):
    before = len(all_comments(app))
    token = csrf_token(poster.client, "/").encode()
    response = poster.client.post("/", data=b"csrf_token=" + token + b"&" + body,
                                  content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    assert len(all_comments(app)) == before + (response.status_code == 302)


@fuzz
@given(name=st.sampled_from(["session", "remember_token"]),
       value=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=300))
def test_cookies(app, fuzzed, name, value):
    fuzzed.client.set_cookie(name, value)
    assert fuzzed.get("/").status_code == 200
    assert not is_logged_in(fuzzed)
    fuzzed.client.delete_cookie(name)


# Markdown built to break out of the comment: scripts, handlers, hostile
# links, entities that decode to markup, direction overrides, and nesting
# deep enough to exhaust a renderer.
ATTACKS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    "![x](https://example.com/x.png)",
    "<script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "[a\u202egnp.exe](https://example.com)",
    '[x](https://example.com "title" onmouseover="alert(1)")',
    "<a href=\"javascript:alert(1)\">x</a>",
    "`" * 4096,
    "- " * 2000 + "x",
    ">" * 4000,
    "*" * 4096,
    "[" * 2000 + "](x)" * 500,
]

EVENT_HANDLER = re.compile(r"<[^>]*\son\w+\s*=", re.I)
HREF = re.compile(r'<a href="([^"]*)"([^>]*)>')
# What a browser reads as a URL's scheme; anything else is a relative address.
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.I)
BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def rendered_comments(page):
    return re.findall(r'<div class="comment-content formatted">(.*?)</div>', page, re.S)


def assert_inert(html):
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert not EVENT_HANDLER.search(html)
    for href, rest in HREF.findall(html):
        scheme = SCHEME.match(href)
        assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), href
        assert rest == ' rel="nofollow ugc noopener"'
    for link_text in re.findall(r"<a [^>]*>(.*?)</a>", html, re.S):
        assert not BIDI_OVERRIDES.search(link_text)


@settings(fuzz, max_examples=25)
@given(attack=st.sampled_from(ATTACKS), before=field_text, after=field_text)
def test_markdown_attacks_render_inert(app, poster, attack, before, after):
    text = (before + attack + after)[:4096]
    response = poster.post_comment(text)
    assert response.status_code in (302, 400)
    page = poster.get("/")
    assert page.status_code == 200
    for html in rendered_comments(page.get_data(as_text=True)):
        assert_inert(html)

