"""A logged-in reader's board page is kept for that reader's login session
and served again, without rendering, while nothing on it has changed; never
to anyone else, never with a message missing, never past a change of the
board, of the reader's account, of an edit window or of the language."""
import gzip
from datetime import timedelta

import brotli
import pytest
import sqlalchemy as sa
from flask import template_rendered

from scratchpad import create_app
from scratchpad.board import comments as board_comments
from scratchpad.board import front_door, personal_pages
from scratchpad.extensions import db
from scratchpad.models import LoginSession, utc_now

from .helpers import WebUser, add_comment, csrf_token, newest_comment_id, visible_text
from .test_statement_count import counted_statements

pytestmark = pytest.mark.engines


class Renderings:
    """How many templates the app rendered while the block ran."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def count_one(self, sender, template, context, **extra):
        self.count += 1

    def __enter__(self):
        template_rendered.connect(self.count_one, self.app)
        return self

    def __exit__(self, *exc_info):
        template_rendered.disconnect(self.count_one, self.app)


def move_clock_to(moment, app, monkeypatch):
    """The kept pages' clock, at the front door and in the site, reads
    ``moment``, and every login session was seen then."""
    monkeypatch.setattr(personal_pages, "utc_now", lambda: moment)
    monkeypatch.setattr(front_door, "utc_now", lambda: moment)
    with app.app_context():
        db.session.execute(sa.update(LoginSession).values(last_seen=moment))
        db.session.commit()


def page(web, path="/", **kwargs):
    response = web.get(path, **kwargs)
    assert response.status_code == 200
    return response


def test_a_readers_unchanged_page_is_served_again_without_rendering(app, bob):
    add_comment(app, "Kept for bob")
    page(bob)  # the session's CSRF secret is made on the first page
    first = page(bob)
    with Renderings(app) as renderings:
        again = page(bob)
    assert renderings.count == 0
    assert again.get_data() == first.get_data()
    assert again.headers["Cache-Control"] == "no-store" and "ETag" not in again.headers


def test_a_kept_page_costs_the_one_statement_that_finds_the_reader(app, bob):
    page(bob), page(bob)
    with counted_statements(app) as statements:
        page(bob)
    assert len(statements) == 1


def test_a_kept_page_is_nobody_elses(app, bob, carol, client):
    add_comment(app, "Seen by all")
    page(bob), page(bob)
    assert "bob" in visible_text(page(bob))
    carols = visible_text(page(carol))
    assert "carol" in carols and "bob" not in carols
    visitors = visible_text(page(WebUser(client)))
    assert "Log in" in visitors and "bob" not in visitors
    assert csrf_token(carol.client, "/") != csrf_token(bob.client, "/")


def test_any_change_to_the_board_shows_on_the_next_request(app, other, bob):
    page(bob), page(bob)
    with other.app_context():
        add_comment(other, "Written in another process")
    assert "Written in another process" in visible_text(page(bob))


def test_messages_are_shown_once_and_never_lost_to_a_kept_page(app, bob):
    page(bob), page(bob)
    assert bob.post_comment("Fresh words").status_code == 302
    assert "Your comment has been posted." in visible_text(page(bob))
    assert "Your comment has been posted." not in visible_text(page(bob))
    assert "Fresh words" in visible_text(page(bob))


def test_after_logging_out_the_kept_page_is_gone_with_the_session(app, bob):
    page(bob), page(bob)
    cookie = bob.client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert bob.logout().status_code == 302
    bob.client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)  # an old copy of it
    shown = visible_text(page(bob))
    assert "Log in" in shown and "Post a comment" not in shown


def test_the_page_changes_when_the_readers_edit_window_ends(app, bob, monkeypatch):
    assert bob.post_comment("Mine to edit").status_code == 302
    comment = newest_comment_id(app)
    edit_link = f'href="/comments/{comment}/edit"'
    page(bob), page(bob)
    assert edit_link in page(bob).get_data(as_text=True)
    later = utc_now() + timedelta(minutes=app.config["EDIT_WINDOW"], seconds=1)
    move_clock_to(later, app, monkeypatch)
    monkeypatch.setattr(board_comments, "utc_now", lambda: later)
    assert edit_link not in page(bob).get_data(as_text=True)


def test_a_form_on_a_kept_page_is_accepted(app, bob):
    page(bob), page(bob)
    with Renderings(app) as renderings:
        token = csrf_token(bob.client, "/")
    assert renderings.count == 0
    response = bob.client.post("/", data={"contents": "From a kept page", "csrf_token": token})
    assert response.status_code == 302


def test_a_kept_page_lasts_at_most_half_its_forms_token_time(app, bob, monkeypatch):
    page(bob), page(bob)
    later = utc_now() + timedelta(seconds=app.config.get("WTF_CSRF_TIME_LIMIT", 3600) / 2)
    move_clock_to(later, app, monkeypatch)
    with Renderings(app) as renderings:
        page(bob)
    assert renderings.count == 1


def test_each_language_is_kept_apart(app, bob):
    page(bob), page(bob)
    german = page(bob, headers={"Accept-Language": "de"})
    assert 'lang="de"' in german.get_data(as_text=True)
    assert 'lang="en"' in page(bob).get_data(as_text=True)


def test_without_the_page_cache_every_page_is_rendered(app, make_user):
    uncached = create_app({**app.config, "BOARD_PAGE_CACHE": False})
    make_user("bob")
    bob = WebUser(uncached.test_client())
    assert bob.login("bob").status_code == 302
    page(bob), page(bob)
    with Renderings(uncached) as renderings:
        page(bob)
    assert renderings.count == 1


def test_a_kept_page_is_kept_compressed_for_the_encodings_asked_for(app, bob):
    for number in range(20):
        add_comment(app, f"A comment long enough to be worth compressing, number {number}.")
    page(bob)
    plain = page(bob).get_data()
    gzipped = page(bob, headers={"Accept-Encoding": "gzip"})
    with Renderings(app) as renderings:
        again = page(bob, headers={"Accept-Encoding": "gzip"})
        identity = page(bob)
    assert renderings.count == 0
    assert again.headers["Content-Encoding"] == "gzip"
    assert again.get_data() == gzipped.get_data()
    assert gzip.decompress(again.get_data()) == plain
    assert "Content-Encoding" not in identity.headers and identity.get_data() == plain
    with Renderings(app) as renderings:
        brotlied = page(bob, headers={"Accept-Encoding": "br"})
    assert renderings.count > 0
    assert brotli.decompress(brotlied.get_data()) == plain
