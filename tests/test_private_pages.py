"""Pages a browser or a shared proxy must not keep: every response to a
logged-in user and every page with a form say Cache-Control: no-store. And
ids no row can have are 404 on every engine, before the database is asked."""
import pytest

from scratchpad.accounts.first_run import setup_token

from .helpers import WebUser, add_comment

FORM_PAGES = ["/login/"]
LOGGED_IN_PAGES = ["/", "/account/", "/admin/users/", "/logout/", "/reauthenticate/"]


def assert_not_stored(response):
    assert response.headers.get("Cache-Control") == "no-store", response.request.path


@pytest.fixture
def admin(app, make_user):
    make_user("admin", is_admin=True)
    web = WebUser(app.test_client())
    web.login("admin")
    return web


def test_every_page_for_a_logged_in_user_is_not_stored(app, admin):
    comment = add_comment(app, "mine")
    for path in [*LOGGED_IN_PAGES, f"/comments/{comment}/delete", "/healthz"]:
        response = admin.get(path)
        assert response.status_code == 200, path
        assert_not_stored(response)
    not_found = admin.get("/no-such-page")
    assert not_found.status_code == 404
    assert_not_stored(not_found)


def test_form_pages_are_not_stored_even_for_visitors(app, client):
    with app.app_context():
        setup = f"/setup/{setup_token()}"
    for path in [*FORM_PAGES, setup]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_not_stored(response)
    refused = WebUser(client).login("nobody", "wrong password")
    assert refused.status_code == 401
    assert_not_stored(refused)


def test_the_board_for_visitors_may_still_be_cached(app, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


OUT_OF_RANGE = ["2147483648", "9223372036854775808", "99999999999999999999999"]


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_an_id_no_row_can_have_is_not_found(admin, number):
    for path in [f"/comments/{number}/delete", f"/admin/users/{number}/delete"]:
        assert admin.get(path).status_code == 404, path
        assert admin.post_form(path, {}, form_page="/admin/users/").status_code == 404, path
    for action in ("make-admin", "remove-admin", "disable", "enable"):
        path = f"/admin/users/{number}/{action}"
        assert admin.post_form(path, {}, form_page="/admin/users/").status_code == 404, path


def test_the_largest_possible_id_is_looked_up(admin):
    assert admin.get("/comments/2147483647/delete").status_code == 404
    assert admin.get("/admin/users/2147483647/delete").status_code == 404
