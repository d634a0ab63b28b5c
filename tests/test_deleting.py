"""Deleting comments: one's own, or any as an administrator; nobody else."""
from datetime import datetime

import pytest

from .helpers import add_comment, all_comments, visible_text

pytestmark = pytest.mark.engines


def test_author_sees_delete_control_and_deletes_after_confirming(app, web, make_user):
    bob = make_user("bob")
    comment = add_comment(app, "mine", datetime(2020, 1, 1), bob)
    web.login("bob")
    assert f"/comments/{comment}/delete" in web.get("/").get_data(as_text=True)
    confirm = web.get(f"/comments/{comment}/delete")
    assert confirm.status_code == 200
    assert "Delete this comment?" in visible_text(confirm)
    assert len(all_comments(app)) == 1

    response = web.post_form(f"/comments/{comment}/delete", {})
    assert response.status_code == 302
    assert all_comments(app) == []
    assert "The comment has been deleted." in visible_text(web.get("/"))


def test_others_do_not_see_the_control_and_get_403(app, web, make_user):
    bob = make_user("bob")
    make_user("eve")
    comment = add_comment(app, "bob's", None, bob)
    web.login("eve")
    assert f"/comments/{comment}/delete" not in web.get("/").get_data(as_text=True)
    assert web.get(f"/comments/{comment}/delete").status_code == 403
    token_page = "/"
    response = web.post_form(f"/comments/{comment}/delete", {}, form_page=token_page)
    assert response.status_code == 403
    assert "You can only delete your own comments." in visible_text(response)
    assert len(all_comments(app)) == 1


def test_anonymous_comments_can_be_deleted_only_by_an_administrator(app, web, make_user):
    make_user("eve")
    make_user("root", is_admin=True)
    comment = add_comment(app, "old", None, None)
    web.login("eve")
    assert web.get(f"/comments/{comment}/delete").status_code == 403
    web.logout()
    web.login("root")
    assert web.post_form(f"/comments/{comment}/delete", {}).status_code == 302
    assert all_comments(app) == []


def test_administrator_deletes_anyones_comment(app, web, make_user):
    bob = make_user("bob")
    make_user("root", is_admin=True)
    comment = add_comment(app, "bob's", None, bob)
    web.login("root")
    assert f"/comments/{comment}/delete" in web.get("/").get_data(as_text=True)
    assert web.post_form(f"/comments/{comment}/delete", {}).status_code == 302
    assert all_comments(app) == []


def test_visitor_post_to_delete_is_sent_to_login_and_changes_nothing(app, web, make_user):
    comment = add_comment(app, "kept", None, make_user("bob"))
    response = web.post_form(f"/comments/{comment}/delete", {}, form_page="/login/")
    assert response.status_code == 302 and response.location.startswith("/login/")
    assert len(all_comments(app)) == 1


def test_delete_without_csrf_token_is_a_400_and_changes_nothing(app, web, make_user):
    comment = add_comment(app, "kept", None, make_user("bob"))
    web.login("bob")
    response = web.client.post(f"/comments/{comment}/delete", data={})
    assert response.status_code == 400
    assert len(all_comments(app)) == 1


def test_deleting_a_missing_comment_is_a_404(web, make_user):
    make_user("bob")
    web.login("bob")
    assert web.get("/comments/999999/delete").status_code == 404
    assert web.get("/comments/abc/delete").status_code == 404
