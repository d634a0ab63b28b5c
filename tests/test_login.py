"""Logging in and out."""
import pytest

from .helpers import PASSWORD, visible_text


def test_login_page_has_username_and_password_fields(client):
    page = client.get("/login/").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    assert '<label class="form-label" for="username">' in page
    assert '<label class="form-label" for="password">' in page


def test_navigation_shows_log_in_then_username_and_log_out(web, make_user):
    make_user("bob")
    assert "Log in" in visible_text(web.get("/"))
    response = web.login("bob")
    assert response.status_code == 302 and response.location == "/"
    text = visible_text(web.get("/"))
    assert "bob" in text and "Log out" in text and "Log in " not in text
    assert "Logged in as bob." in text


@pytest.mark.parametrize("username, password", [
    ("bob", "wrong password"),
    ("nobody", "correct horse battery"),
    ("BOB", "correct horse battery"),
    ("", ""),
])
def test_wrong_username_or_password_says_exactly_that(web, make_user, username, password):
    make_user("bob")
    response = web.login(username, password)
    assert response.status_code == 401
    text = visible_text(response)
    assert "Incorrect username or password" in text
    for hint in ("no such user", "not found", "wrong password", "does not exist"):
        assert hint not in text.lower()
    assert "Log in" in visible_text(web.get("/"))


def test_unknown_user_and_wrong_password_get_the_same_page(web, make_user):
    make_user("bob")
    unknown = web.login("nobody", "whatever password")
    wrong = web.login("bob", "whatever password")
    assert unknown.status_code == wrong.status_code
    strip_token = lambda r: visible_text(r).replace("nobody", "bob")  # noqa: E731
    assert strip_token(unknown) == strip_token(wrong)


def test_after_login_the_user_returns_to_the_page_they_came_from(web, make_user):
    make_user("bob")
    response = web.post_form("/login/?next=/account/",
                                 {"username": "bob", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.location == "/account/"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example"])
def test_after_login_other_hosts_are_never_the_destination(web, make_user, target):
    make_user("bob")
    response = web.post_form("/login/", {"username": "bob", "password": "correct horse battery"},
                                 form_page="/login/", query_string={"next": target})
    assert response.status_code == 302
    assert response.location == "/"


def test_a_page_that_needs_login_sends_a_visitor_to_login_with_the_way_back(web):
    response = web.client.get("/comments/1/delete")
    assert response.status_code == 302
    assert response.location == "/login/?next=%2Fcomments%2F1%2Fdelete"


def test_logout_get_shows_a_confirm_form_and_does_not_log_out(web, make_user):
    make_user("bob")
    web.login("bob")
    response = web.get("/logout/")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True)
    assert "Log out" in visible_text(web.get("/"))
    assert "bob" in visible_text(web.get("/"))


def test_logout_by_post_logs_out(web, make_user):
    make_user("bob")
    web.login("bob")
    response = web.logout()
    assert response.status_code == 302
    text = visible_text(web.get("/"))
    assert "Logged out." in text
    assert "Log in" in text and "Log out" not in text


def test_logout_post_without_csrf_token_is_a_400_and_keeps_the_session(web, make_user):
    make_user("bob")
    web.login("bob")
    response = web.client.post("/logout/", data={})
    assert response.status_code == 400
    assert "security token" in visible_text(response)
    assert "Log out" in visible_text(web.get("/"))


def test_log_in_links_lead_back_to_the_page_being_read(web, make_user):
    make_user("bob")
    page = web.get("/?before=5").get_data(as_text=True)
    assert 'href="/login/?next=/?before%3D5"' in page
    response = web.post_form("/login/?next=/?before%3D5",
                             {"username": "bob", "password": "correct horse battery"})
    assert response.location == "/?before=5"


def test_log_in_link_on_the_board_and_login_page_has_no_next(client, make_user):
    make_user("bob")
    assert 'href="/login/"' in client.get("/").get_data(as_text=True)
    assert "next=" not in client.get("/login/").get_data(as_text=True)


def test_without_remember_me_no_cookie_outlives_the_browser(web, make_user):
    make_user("bob")
    response = web.login("bob")
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies, "logging in sets the session cookie"
    assert not any(cookie.startswith("remember_token=") for cookie in cookies)
    assert not any("Expires=" in cookie or "Max-Age=" in cookie for cookie in cookies)


def test_with_remember_me_the_login_outlives_the_browser(web, make_user):
    make_user("bob")
    response = web.post_form("/login/", {"username": "bob", "password": PASSWORD,
                                         "remember": "y"})
    remember = [cookie for cookie in response.headers.getlist("Set-Cookie")
                if cookie.startswith("remember_token=")]
    assert len(remember) == 1 and "Expires=" in remember[0]
