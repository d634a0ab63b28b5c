"""The Markdown subset comments may use, and what stays text."""
import time

import pytest

from scratchpad.board.formatting import render

from .test_fuzz import ATTACKS, assert_inert


@pytest.mark.parametrize("text, html", [
    ("*em* **strong** `code`", "<p><em>em</em> <strong>strong</strong> <code>code</code></p>\n"),
    ("one\ntwo", "<p>one<br>\ntwo</p>\n"),
    ("one\n\ntwo", "<p>one</p>\n<p>two</p>\n"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>\n"),
    ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
    ("3. c", '<ol start="3">\n<li>c</li>\n</ol>\n'),
    ("```\n<b>x</b>\n```", "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"),
    ("[a](https://example.com/?q=1&r=2)",
     '<p><a href="https://example.com/?q=1&amp;r=2" rel="nofollow ugc noopener">a</a></p>\n'),
    ("[m](mailto:bob@example.com)",
     '<p><a href="mailto:bob@example.com" rel="nofollow ugc noopener">m</a></p>\n'),
    ("# Not a heading", "<p># Not a heading</p>\n"),
    ("---", "<p>---</p>\n"),
    ("<b>bold?</b>", "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
    ('[t](https://example.com "a title")',
     '<p><a href="https://example.com" rel="nofollow ugc noopener">t</a></p>\n'),
    ('<p lang="en" title="x">', '<p>&lt;p lang="en" title="x"&gt;</p>\n'),
])
def test_allowed_formatting_and_what_stays_text(text, html):
    assert render(text) == html


def test_images_become_plain_links():
    assert render("![cat](https://example.com/cat.png)") == (
        '<p>!<a href="https://example.com/cat.png" rel="nofollow ugc noopener">cat</a></p>\n')


def test_direction_overrides_are_taken_out_of_link_text():
    html = render("[innocent\u202egnp.exe](https://example.com) and \u202e outside")
    assert ">innocentgnp.exe</a>" in html and "\u202e outside" in html


def test_every_attack_renders_inert_and_quickly():
    for attack in ATTACKS + ["- " * 10000 + "x", "`" * 10000, ">" * 10000]:
        # The processor time of this thread: what a busy machine does not blur.
        started = time.thread_time()
        html = render(attack)
        assert time.thread_time() - started < 1, attack[:40]
        assert_inert(html)
