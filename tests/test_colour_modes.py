"""Colour modes as the server sends them: the same page for every reader (the
choice stays in the browser), the script that applies it early in <head> and
from the site itself, and the dark mode for browsers without scripts kept
equal to Bootstrap's and the site's own. (tests/test_browser_colour_modes.py
checks them in Chromium.)"""
import re
from pathlib import Path

import flask_bootstrap
import pytest

from .helpers import add_comment
from .test_security_headers import EXPECTED_POLICY, policy

STATIC = Path(__file__).resolve().parent.parent / "scratchpad" / "static"
BOOTSTRAP_CSS = (Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css"
                 / "bootstrap.min.css")
DARK = "[data-bs-theme=dark]"
NO_MODE_CHOSEN = ":root:not([data-bs-theme])"


def declarations(block):
    """The ``name: value`` pairs of a rule, white space folded; semicolons
    inside strings and url(…) are not separators."""
    parts, current, quote, depth = [], "", None, 0
    for character in block:
        if quote:
            quote = None if character == quote else quote
        elif character in "\"'":
            quote = character
        elif character in "()":
            depth += 1 if character == "(" else -1
        elif character == ";" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += character
    parts.append(current)
    pairs = (part.split(":", 1) for part in parts if part.strip())
    return [(name.strip(), " ".join(value.replace(", ", ",").split())) for name, value in pairs]


def rules(css):
    """Each top-level rule's selector and declarations, in order, comments
    left out (rules inside @media blocks are not top-level)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "{":
            if depth == 0:
                # After any statement such as @charset "UTF-8";
                selector = css[start:match.start()].rsplit(";", 1)[-1].strip()
                start = match.end()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                if not selector.startswith("@"):
                    found.append((selector, declarations(css[start:match.start()])))
                start = match.end()
    return found


def dark_rules(css):
    """The rules of a stylesheet for Bootstrap's dark mode, by selector."""
    merged = {}
    for selector, body in rules(css):
        if selector.startswith(DARK):
            merged.setdefault(selector.replace(DARK, NO_MODE_CHOSEN, 1), []).extend(body)
    return merged


def test_the_dark_mode_without_scripts_is_bootstraps_and_the_sites_own():
    """system-dark.css applies, where no script set data-bs-theme and the
    system prefers dark, exactly what [data-bs-theme=dark] gives."""
    expected = dark_rules(BOOTSTRAP_CSS.read_text())
    for selector, body in dark_rules((STATIC / "scratchpad.css").read_text()).items():
        expected.setdefault(selector, []).extend(body)
    assert expected, "no dark rules found in Bootstrap's CSS"
    fallback = {}
    for selector, body in rules((STATIC / "system-dark.css").read_text()):
        fallback.setdefault(selector, []).extend(body)
    assert fallback == expected


def test_the_css_parser_reads_selectors_and_values_with_urls():
    css = '/* a note { } */ a{color:red} [data-bs-theme=dark] .x{--i:url("data:a;b");b: 1px  2px}'
    assert rules(css) == [("a", [("color", "red")]),
                          ("[data-bs-theme=dark] .x", [("--i", 'url("data:a;b")'),
                                                       ("b", "1px 2px")])]


def head(page):
    return page.split("</head>", 1)[0]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_mode_is_applied_by_a_script_of_the_site_before_the_stylesheets(app, client):
    page = client.get("/").get_data(as_text=True)
    tags = re.findall(r"<(?:script|link rel=\"stylesheet\")[^>]*>", head(page))
    script = tags[0]
    assert re.fullmatch(r'<script src="/static/theme\.js\?v=[0-9a-f]{16}">', script), tags
    assert "defer" not in script and "async" not in script
    assert any('href="/static/system-dark.css?v=' in tag
               and 'media="(prefers-color-scheme: dark)"' in tag for tag in tags)
    assert client.get(re.search(r'src="([^"]+)"', script).group(1)).status_code == 200
    # The policy still allows no inline script.
    assert policy(client.get("/")) == EXPECTED_POLICY


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_theme_picker_is_in_the_navigation_bar_of_every_page(app, client, make_user):
    make_user("bob")
    for path in ("/", "/login/", "/no/such/page"):
        page = client.get(path).get_data(as_text=True)
        navigation = page.split("<nav", 1)[1].split("</nav>", 1)[0]
        assert '<label class="visually-hidden" for="theme-choice">Colour theme</label>' in navigation
        assert re.findall(r'<option value="(\w+)"', navigation) == ["auto", "light", "dark"]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_readers_page_is_the_same_whatever_mode_the_reader_prefers(app, client):
    add_comment(app, "Shared words")
    answers = [client.get("/", headers=headers) for headers in (
        {}, {"Sec-CH-Prefers-Color-Scheme": "dark"}, {"Sec-CH-Prefers-Color-Scheme": "light"})]
    assert len({answer.get_data() for answer in answers}) == 1
    assert len({answer.headers["ETag"] for answer in answers}) == 1
    for answer in answers:
        assert answer.cache_control.public
        assert "Set-Cookie" not in answer.headers
        assert "Sec-CH-Prefers-Color-Scheme" not in answer.vary
