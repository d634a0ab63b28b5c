"""Reports, the administrators' comment queue, hiding and restoring, and
holding new accounts' first comments, on every engine."""
import pytest

from scratchpad.models import utc_now

from .helpers import WebUser, add_comment, comment_state, newest_comment_id, visible_text

pytestmark = pytest.mark.engines

HIDDEN_NOTICE = "This comment was hidden by a moderator."


@pytest.fixture
def people(app, make_user):
    """bob and carol (users) and root (an administrator), each logged in."""
    ids = {"bob": make_user("bob"), "carol": make_user("carol"),
           "root": make_user("root", is_admin=True)}
    browsers = {}
    for name in ids:
        browsers[name] = WebUser(app.test_client())
        assert browsers[name].login(name).status_code == 302
    browsers["ids"] = ids
    return browsers


def report(web, comment_id, reason=""):
    return web.post_form(f"/comments/{comment_id}/report", {"reason": reason}, form_page="/")


def act(web, comment_id, action):
    return web.post_form(f"/admin/comments/{comment_id}/{action}", {}, form_page="/")


def test_a_user_reports_a_comment_once(app, people):
    comment = add_comment(app, "Rude words", posted=utc_now(), commenter_id=people["ids"]["bob"])
    page = people["carol"].get(f"/comments/{comment}/report")
    assert page.status_code == 200 and "Report this comment?" in visible_text(page)
    assert report(people["carol"], comment, "It is rude").status_code == 302
    again = report(people["carol"], comment, "Really rude")
    assert again.status_code == 409
    assert "already reported" in visible_text(again)
    assert comment_state(app, comment)["reports"] == [(people["ids"]["carol"], "It is rude", False)]


def test_reports_that_make_no_sense_are_refused(app, people, client):
    own = add_comment(app, "Mine", posted=utc_now(), commenter_id=people["ids"]["bob"])
    assert report(people["bob"], own).status_code == 403
    assert report(people["carol"], 999999).status_code == 404
    assert report(people["carol"], own, "x" * 501).status_code == 400
    hidden = add_comment(app, "Gone", posted=utc_now(), is_hidden=True)
    assert report(people["carol"], hidden).status_code == 409
    anonymous = WebUser(client).post_form(f"/comments/{own}/report", {}, form_page="/login/")
    assert anonymous.status_code == 302 and "/login/" in anonymous.location
    assert comment_state(app, own)["reports"] == []


def test_only_administrators_see_the_queue(app, people, client):
    assert people["bob"].get("/admin/comments/").status_code == 403
    assert client.get("/admin/comments/").status_code == 302
    comment = add_comment(app, "Hi", posted=utc_now())
    assert act(people["bob"], comment, "hide").status_code == 403
    assert comment_state(app, comment)["is_hidden"] is False


def test_a_reported_comment_waits_in_the_queue_until_hidden(app, people, client):
    comment = add_comment(app, "Buy cheap watches", posted=utc_now(),
                          commenter_id=people["ids"]["bob"])
    add_comment(app, "A fine comment", posted=utc_now())
    report(people["carol"], comment, "Spam")
    queue = visible_text(people["root"].get("/admin/comments/"))
    assert "Buy cheap watches" in queue and "Reported 1 time" in queue and "carol: “Spam”" in queue
    assert "A fine comment" not in queue

    assert act(people["root"], comment, "hide").status_code == 302
    assert comment_state(app, comment)["is_hidden"] is True
    assert "Buy cheap watches" not in visible_text(people["root"].get("/admin/comments/"))
    for reader in (client, people["carol"].client):
        page = visible_text(reader.get("/"))
        assert HIDDEN_NOTICE in page and "Buy cheap watches" not in page
    for reader in (people["bob"], people["root"]):
        page = visible_text(reader.get("/"))
        assert "Buy cheap watches" in page and "Hidden by a moderator" in page
    hidden_list = visible_text(people["root"].get("/admin/comments/?show=hidden"))
    assert "Buy cheap watches" in hidden_list

    assert act(people["root"], comment, "restore").status_code == 302
    assert "Buy cheap watches" in visible_text(client.get("/"))
    assert HIDDEN_NOTICE not in visible_text(client.get("/"))


def test_reports_can_be_dismissed(app, people):
    comment = add_comment(app, "Harmless", posted=utc_now())
    report(people["carol"], comment)
    assert act(people["root"], comment, "dismiss").status_code == 302
    assert comment_state(app, comment)["reports"][0][2] is True
    assert comment_state(app, comment)["is_hidden"] is False
    assert "Harmless" not in visible_text(people["root"].get("/admin/comments/"))


def test_the_queue_is_searched_by_text_and_filtered_by_user(app, people):
    ids = people["ids"]
    add_comment(app, "Bob likes 100% tea", posted=utc_now(), commenter_id=ids["bob"])
    add_comment(app, "Bob likes coffee", posted=utc_now(), commenter_id=ids["bob"])
    add_comment(app, "Carol likes TEA too", posted=utc_now(), commenter_id=ids["carol"])
    root = people["root"]
    found = visible_text(root.get("/admin/comments/?show=all&q=tea"))
    assert "Bob likes 100% tea" in found and "Carol likes TEA too" in found
    assert "coffee" not in found
    found = visible_text(root.get("/admin/comments/?show=all&q=tea&user=carol"))
    assert "Carol likes TEA too" in found and "Bob likes" not in found
    found = visible_text(root.get("/admin/comments/?show=all&q=100%25"))
    assert "Bob likes 100% tea" in found and "coffee" not in found and "Carol" not in found
    assert root.get("/admin/comments/?show=everything").status_code == 400
    assert root.get("/admin/comments/?show=all&before=x").status_code == 400
    assert root.get("/admin/comments/?show=all&q=" + "x" * 5000).status_code == 400


def test_new_accounts_first_comments_wait_for_approval(app, people, client):
    app.config["HOLD_NEW_ACCOUNTS"] = 1
    bob = people["bob"]
    response = bob.post_comment("My first words", follow_redirects=True)
    assert "waiting for approval" in visible_text(response)
    held = newest_comment_id(app)
    assert comment_state(app, held)["is_held"] is True
    assert "Waiting for approval" in visible_text(bob.get("/"))
    for reader in (client, people["carol"].client):
        assert "My first words" not in visible_text(reader.get("/"))
        assert reader.get(f"/comments/{held}").status_code == 404
    assert "My first words" in visible_text(people["root"].get("/admin/comments/"))

    assert bob.post_comment("My second words").status_code == 302
    assert comment_state(app, newest_comment_id(app))["is_held"] is False

    assert act(people["root"], held, "approve").status_code == 302
    assert "My first words" in visible_text(client.get("/"))
    assert "Waiting for approval" not in visible_text(bob.get("/"))


def test_administrators_are_never_held(app, people):
    app.config["HOLD_NEW_ACCOUNTS"] = 5
    people["root"].post_comment("From the top")
    assert comment_state(app, newest_comment_id(app))["is_held"] is False


def test_deleting_from_the_queue(app, people):
    comment = add_comment(app, "Spam spam", posted=utc_now())
    report(people["carol"], comment)
    path = f"/comments/{comment}/delete"
    assert people["root"].post_form(path, {}, form_page=path).status_code == 302
    assert comment_state(app, comment) is None
    assert "Spam spam" not in visible_text(people["root"].get("/admin/comments/?show=all"))


def test_a_deleted_reporter_takes_their_reports_along(app, people, runner):
    comment = add_comment(app, "Reported", posted=utc_now())
    report(people["carol"], comment)
    result = runner.invoke(args=["users", "delete", "carol", "--yes"])
    assert result.exit_code == 0, result.output
    assert comment_state(app, comment)["reports"] == []
