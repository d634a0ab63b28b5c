"""Invitation links: administrators make, list and withdraw them; each one
creates a single account before it expires; a used, expired, withdrawn or
altered link is refused and changes nothing."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from scratchpad.extensions import db
from scratchpad.models import Invitation, utc_now

from .helpers import WebUser, csrf_token, visible_text
from .test_registration import set_policy, sign_up_data, usernames

INVITATION_LINK = re.compile(r'value="(http://localhost/signup/([A-Za-z0-9_-]{59}))"')


@pytest.fixture
def admin(app, web, make_user):
    make_user("admin", is_admin=True)
    web.login("admin")
    set_policy(app, "invite")
    return web


def make_invitation(admin, note="for carol"):
    page = admin.post_form("/admin/invitations/", {"note": note})
    assert page.status_code == 200
    link, token = INVITATION_LINK.search(page.get_data(as_text=True)).groups()
    return link.removeprefix("http://localhost"), token


def join(app, path, username="carol", **extra):
    guest = WebUser(app.test_client())
    return guest, guest.post_form(path, sign_up_data(username, **extra), form_page="/login/")


def test_an_invitation_creates_one_account(app, admin):
    path, token = make_invitation(admin)
    listed = visible_text(admin.get("/admin/invitations/"))
    assert "for carol" in listed and "Open" in listed
    with app.app_context():
        stored = db.session.scalar(sa.select(Invitation))
        assert token not in stored.token_hash and len(stored.token_hash) == 64
        assert stored.selector == token[:16]

    guest = WebUser(app.test_client())
    assert guest.get("/signup/").status_code == 404  # invitations only
    page = guest.get(path)
    assert page.status_code == 200
    assert "You are invited to join" in visible_text(page)
    response = guest.post_form(path, sign_up_data(), follow_redirects=True)
    assert "Welcome, carol" in visible_text(response)
    assert guest.post_comment("Thanks for the invitation").status_code == 302
    assert "Used by carol" in visible_text(admin.get("/admin/invitations/"))

    again, reused = join(app, path, "dave")
    assert reused.status_code == 404
    assert "has been used already" in visible_text(again.get(path))
    assert usernames(app) == ["admin", "carol"]


def test_an_expired_invitation_is_refused(app, admin):
    path, _ = make_invitation(admin)
    with app.app_context():
        db.session.execute(sa.update(Invitation).values(expires=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    guest = WebUser(app.test_client())
    assert guest.get(path).status_code == 404
    response = guest.client.post(path, data=sign_up_data())
    assert response.status_code in (400, 404)
    assert "Expired" in visible_text(admin.get("/admin/invitations/"))
    assert usernames(app) == ["admin"]


@pytest.mark.parametrize("alter", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # same selector, wrong secret
    lambda token: token[:-1],
    lambda token: token + "x",
    lambda token: "A" * 59,
    lambda token: token.replace(token[:16], "%00%20" * 2, 1),
])
def test_an_altered_invitation_is_refused(app, admin, alter):
    _, token = make_invitation(admin)
    path = f"/signup/{alter(token)}"
    guest = WebUser(app.test_client())
    assert guest.get(path).status_code == 404
    assert guest.client.post(path, data={**sign_up_data(),
                                         "csrf_token": csrf_token(guest.client)}).status_code == 404
    assert usernames(app) == ["admin"]


def test_a_withdrawn_invitation_is_refused(app, admin):
    path, _ = make_invitation(admin)
    with app.app_context():
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    response = admin.post_form(f"/admin/invitations/{invitation_id}/withdraw", {},
                               form_page="/admin/users/", follow_redirects=True)
    assert "The invitation has been withdrawn" in visible_text(response)
    assert WebUser(app.test_client()).get(path).status_code == 404


def test_invitations_do_not_work_while_registration_is_closed(app, admin):
    path, _ = make_invitation(admin)
    set_policy(app, "closed")
    assert "Registration is closed" in visible_text(admin.get("/admin/invitations/"))
    _, response = join(app, path)
    assert response.status_code == 404
    assert usernames(app) == ["admin"]
    set_policy(app, "invite")
    _, response = join(app, path)
    assert response.status_code == 302


def test_a_taken_name_through_an_invitation_keeps_the_invitation(app, admin):
    path, _ = make_invitation(admin)
    _, response = join(app, path, "ADMIN")
    assert response.status_code == 400
    assert "already taken" in visible_text(response)
    _, response = join(app, path, "carol")
    assert response.status_code == 302
    assert usernames(app) == ["admin", "carol"]


def test_only_administrators_make_invitations(app, web, make_user):
    make_user("bob")
    web.login("bob")
    assert web.get("/admin/invitations/").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_the_invitation_lifetime_is_a_setting(database, app, make_user):
    from scratchpad import create_app
    short = create_app({"TESTING": True, "DATABASE_URL": database.url, "SECRET_KEY": "x" * 32,
                        "RATELIMIT_ENABLED": False, "INVITATION_LIFETIME": 3600})
    try:
        make_user("admin", is_admin=True)
        web = WebUser(short.test_client())
        web.login("admin")
        page = web.post_form("/admin/invitations/", {"note": ""})
        assert "expires after 1 hour if unused" in visible_text(page)
        with short.app_context():
            invitation = db.session.scalar(sa.select(Invitation))
            lifetime = invitation.expires - invitation.created
        assert timedelta(minutes=59) < lifetime <= timedelta(hours=1)
    finally:
        with short.app_context():
            db.engine.dispose()
