"""The Atom feeds of the board and of each thread, on every engine: valid
Atom 1.0 with stable ids, only what everybody sees, hostile text kept
well-formed, and answers that say when a reader's copy is still current."""
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from scratchpad import create_app
from scratchpad.board.formatting import render
from scratchpad.extensions import db
from scratchpad.models import BoardVersion, Comment, utc_now
from scratchpad.moderation import service as moderation

from .helpers import WebUser, add_comment, newest_comment_id
from .test_statement_count import counted_statements

pytestmark = pytest.mark.engines

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC_URL = "https://board.example.org"
RFC_3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
TEXT_TYPES = {"text", "html", "xhtml"}


@pytest.fixture
def site(app):
    """The test app with a public address: every absolute link comes from it."""
    app.config["PUBLIC_URL"] = PUBLIC_URL
    return app


@pytest.fixture
def bob(site, make_user):
    make_user("bob")
    bob = WebUser(site.test_client())
    assert bob.login("bob").status_code == 302
    return bob


def post(web, text):
    assert web.post_comment(text).status_code == 302
    return newest_comment_id(web.client.application)


def reply(web, comment_id, text):
    response = web.post_form(f"/comments/{comment_id}/reply", {"contents": text}, form_page="/")
    assert response.status_code == 302
    return newest_comment_id(web.client.application)


def one(element, name):
    found = element.findall(ATOM + name)
    assert len(found) == 1, f"{element.tag} has {len(found)} {name} elements"
    return found[0]


def check_text_construct(element):
    assert element.get("type", "text") in TEXT_TYPES


def check_date(element):
    assert RFC_3339.match(element.text), element.text


def links(element):
    return {link.get("rel", "alternate"): link for link in element.findall(ATOM + "link")}


def check_entry(entry):
    """RFC 4287, 4.1.2, as far as it can be checked: one id (an absolute
    IRI), title and updated; at most one published; an author with a name;
    content of a known type; a link to the page."""
    assert re.match(r"^[a-z][a-z0-9+.-]*:", one(entry, "id").text)
    check_text_construct(one(entry, "title"))
    check_date(one(entry, "updated"))
    assert len(entry.findall(ATOM + "published")) <= 1
    for published in entry.findall(ATOM + "published"):
        check_date(published)
    assert one(one(entry, "author"), "name").text
    check_text_construct(one(entry, "content"))
    alternate = links(entry)["alternate"]
    assert alternate.get("href").startswith(PUBLIC_URL + "/")


def parse_feed(response):
    """The feed of a response, after checking that it is Atom 1.0 (RFC 4287,
    4.1.1): one id, title and updated, links to itself and to its page,
    entries that are valid, with ids found once."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.get_data())
    assert feed.tag == ATOM + "feed"
    assert one(feed, "id").text.startswith(PUBLIC_URL + "/")
    check_text_construct(one(feed, "title"))
    check_date(one(feed, "updated"))
    feed_links = links(feed)
    assert feed_links["self"].get("type") == "application/atom+xml"
    assert feed_links["alternate"].get("type") == "text/html"
    entries = feed.findall(ATOM + "entry")
    for entry in entries:
        check_entry(entry)
    ids = [one(entry, "id").text for entry in entries]
    assert len(set(ids)) == len(ids)
    return feed


def entries_of(feed):
    return {int(one(entry, "id").text.rsplit("/", 1)[1]): entry
            for entry in feed.findall(ATOM + "entry")}


def entry_ids(feed):
    """The comments' ids, in the feed's order."""
    return list(entries_of(feed))


def text_of(entry, name):
    return one(entry, name).text


def test_the_board_feed_is_atom_with_the_newest_comments(site, client, bob):
    first = post(bob, "The *first* words")
    second = post(bob, "Second words")
    answer = reply(bob, first, "An answer")
    feed = parse_feed(client.get("/feed.atom"))
    assert text_of(feed, "id") == PUBLIC_URL + "/feed.atom"
    assert links(feed)["self"].get("href") == PUBLIC_URL + "/feed.atom"
    assert links(feed)["alternate"].get("href") == PUBLIC_URL + "/"
    assert entry_ids(feed) == [answer, second, first]
    entry = entries_of(feed)[first]
    assert text_of(entry, "id") == f"{PUBLIC_URL}/comments/{first}"
    assert links(entry)["alternate"].get("href") == f"{PUBLIC_URL}/comments/{first}"
    assert text_of(entry, "title") == "bob: The *first* words"
    assert text_of(one(entry, "author"), "name") == "bob"
    content = one(entry, "content")
    assert content.get("type") == "html"
    assert content.text == render("The *first* words")


def test_the_feed_holds_the_newest_fifty(site, client, make_user):
    bob = make_user("bob")
    ids = [add_comment(site, f"Comment {number}", posted=utc_now(), commenter_id=bob)
           for number in range(55)]
    feed = parse_feed(client.get("/feed.atom"))
    assert entry_ids(feed) == ids[::-1][:50]


def test_entry_ids_are_stable_and_never_from_the_host_header(site, client, bob):
    comment = post(bob, "Stay put")
    first = client.get("/feed.atom")
    again = client.get("/feed.atom", headers={"Host": "attacker.example"})
    assert "attacker" not in again.get_data(as_text=True)
    assert ([text_of(entry, "id") for entry in parse_feed(first).findall(ATOM + "entry")]
            == [text_of(entry, "id") for entry in parse_feed(again).findall(ATOM + "entry")]
            == [f"{PUBLIC_URL}/comments/{comment}"])


def test_without_a_public_address_links_are_made_from_the_request(app, client, make_user):
    comment = add_comment(app, "Here", posted=utc_now(), commenter_id=make_user("bob"))
    feed = ET.fromstring(client.get("/feed.atom").get_data())
    assert text_of(feed, "id") == "http://localhost/feed.atom"
    assert text_of(one(feed, "entry"), "id") == f"http://localhost/comments/{comment}"


HOSTILE = ("<script>alert('x')</script> ]]> & \"quoted\" \x01\x08\x0b\x0c\x1b\x1f"
           " \ufffe\uffff <![CDATA[ x ]]> &amp; end")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_hostile_text_keeps_the_feed_well_formed(site, client, bob, make_user):
    formatted = post(bob, HOSTILE)
    plain = add_comment(site, HOSTILE)  # from before formatting: shown as plain text
    body = client.get("/feed.atom").get_data()
    assert b"]]>" not in body and b"<script" not in body
    entries = entries_of(parse_feed(client.get("/feed.atom")))

    html = one(entries[formatted], "content")
    assert html.get("type") == "html"
    assert not NOT_XML.search(html.text)
    assert "&lt;script&gt;" in html.text and "<script" not in html.text
    assert "]]&gt;" in html.text
    title = text_of(entries[formatted], "title")
    assert title.startswith("bob: <script>alert('x')</script> ]]> & \"quoted\" \ufffd")
    assert not NOT_XML.search(title)

    text = one(entries[plain], "content")
    assert text.get("type") == "text"
    assert text.text == NOT_XML.sub("\ufffd", HOSTILE)


def test_times_of_posting_editing_and_of_comments_from_before_times(site, client, make_user):
    bob = make_user("bob")
    posted = datetime(2017, 9, 1, 17, 44, 5)
    undated = add_comment(site, "From before timestamps")
    plain = add_comment(site, "Posted", posted=posted, commenter_id=bob)
    edited = add_comment(site, "Edited", posted=posted, edited_at=posted + timedelta(hours=2),
                         commenter_id=bob)
    feed = parse_feed(client.get("/feed.atom"))
    entries = entries_of(feed)
    assert text_of(entries[plain], "published") == "2017-09-01T17:44:05Z"
    assert text_of(entries[plain], "updated") == "2017-09-01T17:44:05Z"
    assert text_of(entries[edited], "published") == "2017-09-01T17:44:05Z"
    assert text_of(entries[edited], "updated") == "2017-09-01T19:44:05Z"
    # Posted at an unknown time: no <published>, and dated at the epoch.
    assert entries[undated].find(ATOM + "published") is None
    assert text_of(entries[undated], "updated") == "1970-01-01T00:00:00Z"
    assert text_of(feed, "updated") == "2017-09-01T19:44:05Z"


def test_comments_without_a_commenter_are_by_anonymous_coward(site, client, make_user, runner):
    lost = add_comment(site, "Before accounts existed")
    carols = add_comment(site, "Carol's", posted=utc_now(), commenter_id=make_user("carol"))
    entries = entries_of(parse_feed(client.get("/feed.atom")))
    assert text_of(one(entries[lost], "author"), "name") == "Anonymous Coward"
    assert text_of(one(entries[carols], "author"), "name") == "carol"
    etag = client.get("/feed.atom").headers["ETag"]

    assert runner.invoke(args=["users", "delete", "carol", "--yes"]).exit_code == 0
    after = client.get("/feed.atom", headers={"If-None-Match": etag})
    assert after.headers["ETag"] != etag
    entry = entries_of(parse_feed(after))[carols]
    assert text_of(one(entry, "author"), "name") == "Anonymous Coward"
    assert text_of(entry, "title") == "Anonymous Coward: Carol's"


def test_an_empty_board_gives_a_valid_empty_feed(site, client):
    feed = parse_feed(client.get("/feed.atom"))
    assert feed.findall(ATOM + "entry") == []
    assert text_of(feed, "updated") == "1970-01-01T00:00:00Z"


def hide(app, comment_id):
    with app.app_context():
        moderation.hide(db.session.get(Comment, comment_id))


def test_hidden_and_held_comments_never_appear(site, client, make_user):
    bob = make_user("bob")
    shown = add_comment(site, "On show", posted=utc_now(), commenter_id=bob)
    add_comment(site, "Hidden from the start", posted=utc_now(), commenter_id=bob,
                is_hidden=True)
    add_comment(site, "Waiting for approval", posted=utc_now(), commenter_id=bob, is_held=True)
    held_thread = add_comment(site, "A held thread", posted=utc_now(), is_held=True)
    add_comment(site, "In a held thread", posted=utc_now(), parent_id=held_thread)
    later = add_comment(site, "Hidden later", posted=utc_now(), commenter_id=bob)
    response = client.get("/feed.atom")
    assert entry_ids(parse_feed(response)) == [later, shown]

    hide(site, later)
    after = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert entry_ids(parse_feed(after)) == [shown]
    body = after.get_data(as_text=True)
    for text in ("Hidden", "Waiting", "held thread"):
        assert text not in body


def test_the_feed_is_the_same_for_a_logged_in_author(site, bob):
    post(bob, "Public")
    site.config["HOLD_NEW_ACCOUNTS"] = 10
    post(bob, "Mine, waiting for approval")
    response = bob.get("/feed.atom")
    assert "Public" in response.get_data(as_text=True)
    assert "waiting for approval" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"  # it came with a session cookie


def test_a_reader_may_keep_the_feed_and_ask_whether_it_changed(site, client, bob):
    post(bob, "First")
    response = client.get("/feed.atom")
    etag, weak = response.get_etag()
    assert etag and weak
    cache_control = response.cache_control
    assert cache_control.public and cache_control.max_age == 0 and cache_control.must_revalidate
    assert cache_control.s_maxage == site.config["SHARED_CACHE_SECONDS"]

    with counted_statements(site) as statements:
        again = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == response.headers["ETag"]
    assert len(statements) == 1  # the board's version, and nothing written
    compressed = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"],
                                                   "Accept-Encoding": "gzip"})
    assert compressed.status_code == 304

    second = post(bob, "Second")
    after = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != response.headers["ETag"]
    assert entry_ids(parse_feed(after))[0] == second


def set_board_changed_at(app, moment):
    with app.app_context():
        db.session.execute(sa.update(BoardVersion).values(changed_at=moment))
        db.session.commit()


def test_last_modified_answers_if_modified_since(site, client, make_user):
    bob = make_user("bob")
    comment = add_comment(site, "Soon hidden", posted=utc_now(), commenter_id=bob)
    a_minute_ago = (utc_now() - timedelta(minutes=1)).replace(microsecond=0)
    set_board_changed_at(site, a_minute_ago)
    response = client.get("/feed.atom")
    assert response.last_modified.replace(tzinfo=None) == a_minute_ago
    last_modified = response.headers["Last-Modified"]

    with counted_statements(site) as statements:
        again = client.get("/feed.atom", headers={"If-Modified-Since": last_modified})
    assert again.status_code == 304 and len(statements) == 1
    assert client.get("/feed.atom", headers={
        "If-Modified-Since": "not a date"}).status_code == 200

    hide(site, comment)  # changes no comment's time, but the board's
    after = client.get("/feed.atom", headers={"If-Modified-Since": last_modified})
    assert after.status_code == 200
    assert entry_ids(parse_feed(after)) == []


def test_no_last_modified_is_claimed_for_a_second_not_yet_over(site, client):
    add_comment(site, "Now", posted=utc_now())
    set_board_changed_at(site, utc_now() + timedelta(minutes=10))  # a clock ahead of this one
    response = client.get("/feed.atom")
    assert response.status_code == 200 and "Last-Modified" not in response.headers
    assert response.headers["ETag"]


@pytest.fixture
def uncached_site(site):
    """The site with the page cache off: the board keeps no version."""
    uncached = create_app({**site.config, "BOARD_PAGE_CACHE": False})
    yield uncached
    with uncached.app_context():
        db.session.remove()
        db.engine.dispose()


def test_without_the_page_cache_the_etag_follows_the_feed(uncached_site):
    client = uncached_site.test_client()
    add_comment(uncached_site, "First", posted=utc_now())
    response = client.get("/feed.atom")
    assert response.get_etag()[0] and response.cache_control.public
    again = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    newer = add_comment(uncached_site, "Second", posted=utc_now())
    after = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != response.headers["ETag"]
    assert entry_ids(parse_feed(after))[0] == newer


def test_a_thread_has_a_feed_of_its_comment_and_replies(site, client, bob, make_user):
    carol = WebUser(site.test_client())
    make_user("carol")
    assert carol.login("carol").status_code == 302
    first = post(bob, "A question")
    other = post(bob, "Another thread")
    answer = reply(carol, first, "An answer")
    reply(carol, other, "Elsewhere")
    hidden_answer = reply(carol, first, "A rude answer")
    hide(site, hidden_answer)
    later = reply(bob, first, "Thanks")

    response = client.get(f"/comments/{first}/feed.atom")
    feed = parse_feed(response)
    assert entry_ids(feed) == [later, answer, first]
    assert text_of(feed, "id") == f"{PUBLIC_URL}/comments/{first}/feed.atom"
    assert links(feed)["self"].get("href") == f"{PUBLIC_URL}/comments/{first}/feed.atom"
    assert links(feed)["alternate"].get("href") == f"{PUBLIC_URL}/comments/{first}"
    assert "bob" in text_of(feed, "title")

    with counted_statements(site) as statements:
        again = client.get(f"/comments/{first}/feed.atom",
                           headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert len(statements) == 2  # the thread's first comment, and the board's version
    redirected = client.get(f"/comments/{answer}/feed.atom")
    assert redirected.status_code == 301
    assert redirected.location.endswith(f"/comments/{first}/feed.atom")


def test_a_hidden_threads_feed_keeps_its_replies(site, client, make_user):
    root = add_comment(site, "Hidden start", posted=utc_now(), is_hidden=True)
    answer = add_comment(site, "Still shown", posted=utc_now(), parent_id=root)
    feed = parse_feed(client.get(f"/comments/{root}/feed.atom"))
    assert entry_ids(feed) == [answer]


def test_unknown_or_unseen_threads_have_no_feed(site, client):
    held = add_comment(site, "Waiting", posted=utc_now(), is_held=True)
    held_reply = add_comment(site, "Waiting too", posted=utc_now(), is_held=True,
                             parent_id=add_comment(site, "Shown", posted=utc_now()))
    for path in (f"/comments/{held}/feed.atom", f"/comments/{held_reply}/feed.atom",
                 "/comments/999999/feed.atom", "/comments/99999999999/feed.atom",
                 "/comments/abc/feed.atom"):
        response = client.get(path, headers={"If-None-Match": "*"})
        assert response.status_code == 404, path
    assert client.post("/feed.atom").status_code == 405


def feed_links_on(response):
    page = response.get_data(as_text=True)
    head = page[:page.index("</head>")]
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"',
                      head)


def test_pages_name_their_feeds(site, client, bob):
    first = post(bob, "Start")
    answer = reply(bob, first, "Reply")
    assert feed_links_on(client.get("/")) == ["/feed.atom"]
    assert feed_links_on(client.get("/?before=1000000")) == ["/feed.atom"]
    assert feed_links_on(client.get(f"/comments/{first}")) == [f"/comments/{first}/feed.atom"]
    assert feed_links_on(client.get(f"/comments/{answer}")) == [f"/comments/{first}/feed.atom"]
    for path in ("/feed.atom", f"/comments/{first}/feed.atom"):
        assert client.get(path).status_code == 200


def test_a_held_comments_page_names_no_feed(site, make_user):
    root = make_user("root", is_admin=True)
    admin = WebUser(site.test_client())
    assert admin.login("root").status_code == 302
    held = add_comment(site, "Waiting", posted=utc_now(), commenter_id=root, is_held=True)
    assert feed_links_on(admin.get(f"/comments/{held}")) == []
