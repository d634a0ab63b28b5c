"""Names that do not show who they are are refused on the sign-up page, the
administrators' users page, the command line and renames alike: blank or
invisible ones, accents left loose, and the label the site shows for comments
whose author has gone. Names in any script, with their accents, are not."""
import pytest

from scratchpad.accounts import service
from scratchpad.site.settings import change_site_setting

from .helpers import PASSWORD, WebUser, assert_refused_as_a_new_name, usernames, visible_text

NAMES_THAT_DO_NOT_SHOW_WHO = [
    ("\u3164", "invisible or direction-changing"),  # Hangul filler, shown as nothing
    ("alice\u3164", "invisible or direction-changing"),
    ("bob\ufe0f", "invisible or direction-changing"),  # variation selector
    ("\u2800\u2800", "a letter or a digit"),  # braille blanks
    ("._.", "a letter or a digit"),
    ("alice\u0336", "accents apart from their letters"),  # a stroke laid over the name
    ("e\u0301\u0301", "accents apart from their letters"),  # one accent composes, one is left
    ("Anonymous Coward", "comments whose author has gone"),
    ("anonymous coward", "comments whose author has gone"),
    ("Anonymer Feigling", "comments whose author has gone"),  # the label in German
]


@pytest.mark.parametrize("username, message", NAMES_THAT_DO_NOT_SHOW_WHO)
def test_names_that_do_not_show_who_they_are_are_refused_everywhere(
        app, make_user, runner, username, message):
    make_user("admin", is_admin=True)
    assert_refused_as_a_new_name(app, runner, username, message)
    with app.app_context():
        with pytest.raises(service.AccountError, match=message):
            service.rename_user("admin", username)
        change_site_setting("REGISTRATION", "open")

    visitor = WebUser(app.test_client())
    response = visitor.post_form("/signup/", {"username": username, "new_password": PASSWORD,
                                              "new_password_again": PASSWORD})
    assert response.status_code == 400
    assert message in visible_text(response)
    assert usernames(app) == ["admin"]


def test_names_in_any_script_with_their_accents_are_accepted(app, make_user):
    for name in ("José", "Zoë", "हिंदी", "ไทย่", "日本語", "Ελένη", "Дмитрий", "r2d2"):
        make_user(name)
    assert len(usernames(app)) == 8
