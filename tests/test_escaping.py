"""Whatever people type is shown as text, wherever it is shown."""
import pytest

from .helpers import add_comment, csrf_token

pytestmark = pytest.mark.engines

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
HOSTILE_TEXTS = [
    (SCRIPT, ESCAPED_SCRIPT),
    ('"><img src=x onerror=alert(1)>', "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"),
    ("{{ 7 * 7 }} {% raw %}", "{{ 7 * 7 }} {% raw %}"),
]


@pytest.mark.parametrize("text, shown", HOSTILE_TEXTS)
def test_comment_text_is_escaped_on_the_board_and_the_delete_page(app, web, make_user, text, shown):
    bob = make_user("bob")
    comment = add_comment(app, text, None, bob)
    web.login("bob")
    for path in ("/", f"/comments/{comment}/delete"):
        page = web.get(path).get_data(as_text=True)
        assert shown in page, path
        if text.startswith(("<", '"')):
            assert text not in page, path


def test_usernames_are_escaped_wherever_they_are_shown(app, web, make_user):
    hostile = make_user(SCRIPT)
    comment = add_comment(app, "hello", None, hostile)
    web.login(SCRIPT)
    for path in ("/", "/account/", f"/comments/{comment}/delete"):
        page = web.get(path).get_data(as_text=True)
        assert ESCAPED_SCRIPT in page, path
        assert SCRIPT not in page, path


def test_input_echoed_on_an_error_page_is_escaped(web):
    body = f"csrf_token={csrf_token(web.client)}&{SCRIPT}=1&{SCRIPT}=2"
    response = web.client.post("/login/", data=body.encode(),
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ESCAPED_SCRIPT in page
    assert SCRIPT not in page
