"""What may never be kept: a page of a reader whose role changed, a page
whose rendering touched the session, an answer that sets a cookie, whether
the site or the front door would keep it."""
from flask import request, session, template_rendered

from .helpers import WebUser, add_comment, visible_text
from .test_personal_pages import Renderings


def deletes_offered(web):
    return visible_text(web.get("/")).split().count("Delete")


def test_a_change_of_role_ends_the_readers_kept_pages(app, make_user):
    make_user("ann", is_admin=True)
    bob_id = make_user("bob", is_admin=True)
    add_comment(app, "By carol", commenter_id=make_user("carol"))
    ann, bob = WebUser(app.test_client()), WebUser(app.test_client())
    for person, name in ((ann, "ann"), (bob, "bob")):
        assert person.login(name).status_code == 302
    bob.get("/")
    assert deletes_offered(bob) == 1  # an administrator may delete carol's comment
    with Renderings(app) as renderings:
        assert deletes_offered(bob) == 1
    assert renderings.count == 0  # kept

    assert ann.post_form(f"/admin/users/{bob_id}/remove-admin", {},
                         form_page="/admin/users/").status_code == 302
    assert deletes_offered(bob) == 0
    assert bob.get("/admin/users/").status_code == 403


def test_an_anonymous_page_whose_rendering_touched_the_session_is_never_kept(app, client):
    add_comment(app, "On the board")

    def touch_the_session(sender, template, context, **extra):
        session["seen_the_board"] = True

    template_rendered.connect(touch_the_session, app)
    try:
        touched = client.get("/")
    finally:
        template_rendered.disconnect(touch_the_session, app)
    assert "Set-Cookie" in touched.headers
    assert "public" not in touched.headers.get("Cache-Control", "")
    assert "ETag" not in touched.headers

    stranger = app.test_client()
    with Renderings(app) as renderings:
        page = stranger.get("/")
    assert renderings.count == 1  # rendered anew, not the page that held a session
    assert "Set-Cookie" not in page.headers


def plant_a_cookie_when_asked(response):
    if request.headers.get("X-Plant-Cookie"):
        response.set_cookie("planted", "1")
    return response


def test_an_answer_that_sets_a_cookie_is_never_kept_by_the_site(app, client):
    add_comment(app, "On the board")
    app.after_request(plant_a_cookie_when_asked)  # runs before the site keeps a page
    assert "planted=1" in client.get("/", headers={"X-Plant-Cookie": "1"}).headers["Set-Cookie"]
    with Renderings(app) as renderings:
        page = app.test_client().get("/")
    assert renderings.count == 1 and "Set-Cookie" not in page.headers


def test_an_answer_that_sets_a_cookie_is_never_kept_by_the_front_door(app, client):
    """A cookie set after the site marked the page to be kept (Flask-Login's
    remember-me cookie, a session saved): the front door sees it as the
    answer leaves and does not keep it."""
    add_comment(app, "On the board")
    # Flask runs after_request functions last registered first: this one runs last.
    app.after_request_funcs.setdefault(None, []).insert(0, plant_a_cookie_when_asked)
    assert "planted=1" in client.get("/", headers={"X-Plant-Cookie": "1"}).headers["Set-Cookie"]
    with Renderings(app) as renderings:
        page = app.test_client().get("/")
    assert renderings.count == 1 and "Set-Cookie" not in page.headers
    with Renderings(app) as renderings:
        again = app.test_client().get("/")
    assert renderings.count == 0 and again.get_data() == page.get_data()  # this one is kept


def test_editing_someone_elses_comment_is_refused_saying_why(app, make_user, bob):
    carols = add_comment(app, "Carol's words", commenter_id=make_user("carol"),
                         rendered_html="<p>Carol's words</p>\n")
    for answer in (bob.get(f"/comments/{carols}/edit"),
                   bob.post_form(f"/comments/{carols}/edit", {"contents": "Bob's words"},
                                 form_page="/")):
        assert answer.status_code == 403
        assert "You can only edit your own comments." in visible_text(answer)
    assert "Carol's words" in visible_text(bob.get("/"))
