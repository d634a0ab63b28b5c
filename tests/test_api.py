"""The JSON API's endpoints and errors, on every engine: comments listed in
the board's order with the board's visibility, one comment, posting and
replying, deleting, users; errors as JSON with the right status; the rate
limits; and the OpenAPI description, against which every answer here is
checked (helpers.ApiCaller)."""
import json

import pytest
import sqlalchemy as sa
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy.engine import make_url

from scratchpad import create_app
from scratchpad.extensions import db

from .engines import SERVER_ENGINES
from .helpers import (OPENAPI, OPENAPI_FILE, ApiCaller, WebUser, add_comment, all_comments,
                      api_token, comment_state, newest_comment_id, visible_text)
from .tcp_proxy import LOOPBACK, CuttableProxy

BEARER = "scratchpad_pat_"
DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432}


@pytest.fixture
def users(app, make_user):
    """bob and alice, and root, an administrator: their ids."""
    return {name: make_user(name, is_admin=name == "root") for name in ("bob", "alice", "root")}


@pytest.fixture
def api(app, users):
    """A caller with a token of each user."""
    return {name: ApiCaller(app.test_client(), api_token(app, user_id))
            for name, user_id in users.items()}


def ids(page):
    return [comment["id"] for comment in page["comments"]]


def test_comments_come_in_the_boards_order_page_by_page(app, api, users):
    bob = users["bob"]
    top = [add_comment(app, f"Top {number}", commenter_id=bob) for number in range(5)]
    replies = [add_comment(app, f"Reply {number}", commenter_id=bob, parent_id=top[1])
               for number in range(2)]

    first = api["alice"].get("/comments?limit=2")
    assert first.status_code == 200
    assert ids(first.data_json) == [top[4], top[3]]
    assert first.data_json["newer"] is None
    assert first.data_json["older"] == f"/api/v1/comments?before={top[3]}&limit=2"
    second = api["alice"].get(first.data_json["older"].removeprefix("/api/v1"))
    assert ids(second.data_json) == [top[2], top[1]]
    assert [reply["id"] for reply in second.data_json["comments"][1]["replies"]] == replies
    assert second.data_json["comments"][0]["replies"] == []
    last = api["alice"].get(second.data_json["older"].removeprefix("/api/v1"))
    assert ids(last.data_json) == [top[0]]
    assert last.data_json["older"] is None
    back = api["alice"].get(last.data_json["newer"].removeprefix("/api/v1"))
    assert ids(back.data_json) == [top[2], top[1]]

    whole = api["alice"].get("/comments")
    assert ids(whole.data_json) == list(reversed(top))
    board = visible_text(WebUser(app.test_client()).get("/"))
    assert board.index("Top 4") < board.index("Top 1") < board.index("Reply 0") < board.index(
        "Reply 1") < board.index("Top 0")


def test_a_comment_is_shown_as_the_board_shows_it(app, api, users):
    comment_id = add_comment(app, "From before formatting", commenter_id=users["bob"])
    anonymous = add_comment(app, "By nobody known")
    formatted = api["bob"].post("/comments", json={"content": "Some *emphasis*"}).data_json

    listed = api["alice"].get("/comments").data_json["comments"]
    by_id = {comment["id"]: comment for comment in listed}
    assert by_id[comment_id]["content"] == "From before formatting"
    assert by_id[comment_id]["html"] is None
    assert by_id[comment_id]["author"] == "bob"
    assert by_id[comment_id]["posted"] is None
    assert by_id[anonymous]["author"] is None
    assert by_id[formatted["id"]]["html"] == "<p>Some <em>emphasis</em></p>\n"
    assert by_id[formatted["id"]]["url"] == f"/comments/{formatted['id']}"


def test_held_and_hidden_comments_as_each_caller_sees_them(app, api, users):
    held = add_comment(app, "Waiting", commenter_id=users["bob"], is_held=True)
    hidden = add_comment(app, "Hidden text", commenter_id=users["bob"], is_hidden=True)
    held_reply = add_comment(app, "Held reply", commenter_id=users["bob"], parent_id=hidden,
                             is_held=True)

    def seen(name):
        comments = api[name].get("/comments").data_json["comments"]
        return {comment["id"]: (comment["content"], comment["held"], comment["hidden"],
                                [reply["id"] for reply in comment.get("replies", [])])
                for comment in comments}

    assert seen("alice") == {hidden: (None, False, True, [])}
    expected = {held: ("Waiting", True, False, []),
                hidden: ("Hidden text", False, True, [held_reply])}
    assert seen("bob") == expected  # the author
    assert seen("root") == expected  # an administrator

    assert api["alice"].get(f"/comments/{held}").status_code == 404
    assert api["alice"].get(f"/comments/{held_reply}").status_code == 404
    assert api["alice"].get(f"/comments/{hidden}").data_json["content"] is None
    assert api["bob"].get(f"/comments/{held}").data_json["content"] == "Waiting"


def test_one_comment_with_its_replies(app, api, users):
    top = add_comment(app, "Top", commenter_id=users["bob"])
    reply = add_comment(app, "Reply", commenter_id=users["alice"], parent_id=top)

    answer = api["alice"].get(f"/comments/{top}").data_json
    assert (answer["id"], answer["content"], answer["parent_id"]) == (top, "Top", None)
    assert [item["id"] for item in answer["replies"]] == [reply]
    answer = api["alice"].get(f"/comments/{reply}").data_json
    assert (answer["parent_id"], answer["author"]) == (top, "alice")
    assert "replies" not in answer


@pytest.mark.parametrize("path", ["/comments/999999", "/comments/2147483648",
                                  "/comments/99999999999999999999999", "/comments/-1",
                                  "/comments/x", "/users/nobody", "/nothing/here", "/"])
def test_what_does_not_exist_is_a_json_404(api, path):
    answer = api["bob"].get(path)
    assert answer.status_code == 404
    assert answer.data_json["error"] == "not_found"


def test_posting_a_comment(app, api, users):
    reader = WebUser(app.test_client())
    assert "Hello" not in visible_text(reader.get("/"))  # and now kept by the page cache

    answer = api["bob"].post("/comments", json={"content": "Hello\r\nfrom **curl**"})
    assert answer.status_code == 201
    comment = answer.data_json
    assert answer.headers["Location"] == f"/api/v1/comments/{comment['id']}"
    assert (comment["author"], comment["content"], comment["held"]) == (
        "bob", "Hello\nfrom **curl**", False)
    assert comment["html"] == "<p>Hello<br>\nfrom <strong>curl</strong></p>\n"
    [(_, content, posted, commenter_id)] = all_comments(app)
    assert (content, commenter_id) == ("Hello\nfrom **curl**", users["bob"])
    assert posted is not None
    assert "Hello from curl Posted" in visible_text(reader.get("/"))


def test_a_comment_of_the_longest_length_counting_line_breaks_as_the_board_does(app, api):
    text = "x" * 4094 + "\r\n" + "y"  # 4,096 characters once CR LF is one line break
    assert api["bob"].post("/comments", json={"content": text}).status_code == 201
    too_long = api["bob"].post("/comments", json={"content": "x" * 4097})
    assert too_long.status_code == 400
    assert too_long.data_json["message"] == "A comment can be at most 4096 characters."
    assert len(all_comments(app)) == 1


def test_replying_joins_the_thread_as_on_the_board(app, api, users):
    top = add_comment(app, "Top", commenter_id=users["alice"])
    reply = api["bob"].post("/comments", json={"content": "Reply", "reply_to": top}).data_json
    answer = api["alice"].post("/comments", json={"content": "Answer", "reply_to": reply["id"]})
    assert answer.status_code == 201
    assert answer.data_json["parent_id"] == top
    assert comment_state(app, answer.data_json["id"])["parent_id"] == top
    thread = api["alice"].get(f"/comments/{top}").data_json
    assert [item["content"] for item in thread["replies"]] == ["Reply", "Answer"]


def test_hidden_and_held_comments_cannot_be_answered(app, api, users):
    hidden = add_comment(app, "Hidden", commenter_id=users["alice"], is_hidden=True)
    held = add_comment(app, "Held", commenter_id=users["bob"], is_held=True)
    refused = api["bob"].post("/comments", json={"content": "No", "reply_to": hidden})
    assert refused.status_code == 403
    assert "hidden by a moderator" in refused.data_json["message"]
    answer_to_held = {"content": "No", "reply_to": held}
    assert api["bob"].post("/comments", json=answer_to_held).status_code == 403  # the author
    assert api["alice"].post("/comments", json=answer_to_held).status_code == 404
    assert len(all_comments(app)) == 2


def test_a_new_accounts_first_comment_is_held(database, app, users):
    holding = create_app({"TESTING": True, "DATABASE_URL": database.url, "SECRET_KEY": "k" * 32,
                          "RATELIMIT_ENABLED": False, "HOLD_NEW_ACCOUNTS": 1})
    try:
        caller = ApiCaller(holding.test_client(), api_token(app, users["bob"]))
        first = caller.post("/comments", json={"content": "First"})
        assert first.status_code == 201
        assert first.data_json["held"] is True
        assert caller.post("/comments", json={"content": "Second"}).data_json["held"] is False
    finally:
        with holding.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("body, content_type, status, message", [
    (b"{broken", "application/json", 400, "The body is not valid JSON"),
    (b"\xff\xfe{}", "application/json", 400, "The body is not valid JSON"),
    (b'["a list"]', "application/json", 400, "The body must be a JSON object"),
    (b"[" * 5000 + b"]" * 5000, "application/json", 400, "nested too deeply"),
    (b'{"content": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001, "application/json", 400,
     "nested too deeply"),
    (b"{}", "application/json", 400, "'content' must be a string"),
    (b'{"content": 12}', "application/json", 400, "'content' must be a string"),
    (b'{"content": "   "}', "application/json", 400, "Write something before posting."),
    (b'{"content": "hi", "contents": "hi"}', "application/json", 400, "Unknown field 'contents'"),
    (b'{"content": "a\\u0000b"}', "application/json", 400, "NUL character"),
    (b'{"content": "\\ud800"}', "application/json", 400, "lone surrogate"),
    (b'{"content": "hi", "reply_to": "1"}', "application/json", 400, "'reply_to' must be"),
    (b'{"content": "hi", "reply_to": true}', "application/json", 400, "'reply_to' must be"),
    (b'{"content": "hi", "reply_to": 0}', "application/json", 400, "'reply_to' must be"),
    (b'{"content": "hi", "reply_to": 1.5}', "application/json", 400, "'reply_to' must be"),
    (b'{"content": "hi", "reply_to": 99999999999}', "application/json", 404, "no such comment"),
    (b"content=hi", "application/x-www-form-urlencoded", 415, "The body must be JSON"),
    (b'{"content": "' + b"x" * 70000 + b'"}', "application/json", 413, "larger than 64 KiB"),
])
def test_bad_posts_are_refused_saying_why_and_change_nothing(app, api, body, content_type,
                                                             status, message):
    answer = api["bob"].post("/comments", data=body, content_type=content_type)
    assert answer.status_code == status
    assert message in answer.data_json["message"]
    assert newest_comment_id(app) is None


@pytest.mark.parametrize("query", ["before=x", "before=-1", "after=1&before=2", "limit=0",
                                   "limit=101", "limit=ten", "before=1234567890123456789"])
def test_bad_page_arguments_are_a_400(api, query):
    answer = api["bob"].get(f"/comments?{query}")
    assert answer.status_code == 400
    assert answer.data_json["error"] == "bad_request"


def test_deleting_follows_the_boards_rules(app, api, users):
    own = add_comment(app, "Bob's", commenter_id=users["bob"])
    reply = add_comment(app, "A reply", commenter_id=users["alice"], parent_id=own)
    alices = add_comment(app, "Alice's", commenter_id=users["alice"])
    other = add_comment(app, "Another of Alice's", commenter_id=users["alice"])

    refused = api["bob"].delete(f"/comments/{alices}")
    assert refused.status_code == 403
    assert refused.data_json["message"] == "You can only delete your own comments."
    assert comment_state(app, alices) is not None

    assert api["bob"].delete(f"/comments/{own}").status_code == 204
    assert comment_state(app, own) is None
    assert comment_state(app, reply) is None  # with its replies, as on the board
    assert api["bob"].delete(f"/comments/{own}").status_code == 404
    assert api["root"].delete(f"/comments/{other}").status_code == 204  # an administrator
    assert [row[0] for row in all_comments(app)] == [alices]


def test_a_held_comment_of_someone_else_is_not_found_for_deleting(app, api, users):
    held = add_comment(app, "Held", commenter_id=users["alice"], is_held=True)
    assert api["bob"].delete(f"/comments/{held}").status_code == 404
    assert comment_state(app, held) is not None


def test_a_user_by_name_with_public_fields_only(api):
    answer = api["alice"].get("/users/BOB")
    assert answer.status_code == 200
    assert set(answer.data_json) == {"username", "joined"}
    assert answer.data_json["username"] == "bob"
    for name in ("bo", "bob%00", "a/b", "x" * 600):
        assert api["alice"].get(f"/users/{name}").status_code == 404


@pytest.mark.parametrize("method, path, allowed", [
    ("PUT", "/comments", "GET, HEAD, OPTIONS, POST"),
    ("PATCH", "/comments/1", "DELETE, GET, HEAD, OPTIONS"),
    ("POST", "/users/bob", "GET, HEAD, OPTIONS"),
])
def test_a_method_an_endpoint_does_not_take_is_a_json_405(api, method, path, allowed):
    answer = api["bob"].request(method, path)
    assert answer.status_code == 405
    assert ", ".join(sorted(answer.headers["Allow"].split(", "))) == allowed
    assert answer.data_json["error"] == "method_not_allowed"


def test_answers_are_json_never_the_sites_pages_and_not_stored(api, client):
    for answer in (api["bob"].get("/comments"), api["bob"].get("/nowhere"),
                   ApiCaller(client).get("/comments")):
        assert answer.content_type == "application/json"
        assert "<html" not in answer.get_data(as_text=True)
        assert answer.headers["Cache-Control"] == "no-store"


# Statements that make every later write of a connection fail as a read-only database would.
READ_ONLY_SESSION = {
    "sqlite": "PRAGMA query_only = ON",
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET default_transaction_read_only = on",
}


def test_a_database_that_cannot_write_is_a_json_503_with_retry_after(app, api, database):
    caller = api["bob"]
    assert caller.get("/comments").status_code == 200  # the token's use is noted now

    def read_only(connection, record):
        connection.cursor().execute(READ_ONLY_SESSION[make_url(database.url).get_backend_name()])
        connection.commit()

    with app.app_context():
        db.engine.dispose()
        sa.event.listen(db.engine, "connect", read_only)
    try:
        answer = caller.post("/comments", json={"content": "Refused"})
        assert answer.status_code == 503
        assert answer.data_json["error"] == "service_unavailable"
        assert "can be read but not written" in answer.data_json["message"]
        assert answer.headers.getlist("Retry-After") == ["30"]
        assert caller.get("/comments").status_code == 200  # reading goes on
    finally:
        with app.app_context():
            sa.event.remove(db.engine, "connect", read_only)
            db.engine.dispose()
    assert newest_comment_id(app) is None


@pytest.mark.parametrize("database", list(SERVER_ENGINES), indirect=True)
def test_during_a_database_outage_the_api_answers_a_json_503_then_recovers(app, database, users):
    """The database's server goes away (its connections cut) and comes back."""
    url = make_url(database.url)
    proxy = CuttableProxy((url.host, url.port or DEFAULT_PORTS[url.get_backend_name()]))
    proxied = create_app({**app.config, "DATABASE_URL": url.set(host=LOOPBACK, port=proxy.port)
                          .render_as_string(hide_password=False)})
    try:
        caller = ApiCaller(proxied.test_client(), api_token(app, users["bob"]))
        assert caller.post("/comments", json={"content": "Before"}).status_code == 201
        proxy.cut()
        for answer in (caller.get("/comments"), caller.post("/comments", json={"content": "No"})):
            assert answer.status_code == 503
            assert answer.data_json["message"].startswith("The database is not answering")
            assert answer.headers.getlist("Retry-After") == ["30"]
        proxy.restore()
        assert caller.get("/comments").data_json["comments"][0]["content"] == "Before"
        assert caller.post("/comments", json={"content": "After"}).status_code == 201
    finally:
        proxy.close()
        with proxied.app_context():
            db.engine.dispose()
    assert [row[1] for row in all_comments(app)] == ["Before", "After"]


def limited_app(database, **limits):
    return create_app({"TESTING": True, "DATABASE_URL": database.url, "SECRET_KEY": "k" * 32,
                       "RATELIMIT_ENABLED": True, **limits})


@pytest.fixture
def close_apps():
    made = []
    yield made.append
    for made_app in made:
        with made_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_requests_per_user_are_limited_whichever_token(app, database, users, close_apps):
    limited = limited_app(database, API_LIMITS_PER_USER="3 per minute")
    close_apps(limited)
    tokens = [api_token(app, users["bob"], name) for name in ("one", "two")]
    callers = [ApiCaller(limited.test_client(), token) for token in tokens]
    assert [callers[number % 2].get("/comments").status_code for number in range(3)] == [200] * 3
    refused = callers[1].get("/comments")
    assert refused.status_code == 429
    assert refused.data_json["error"] == "too_many_requests"
    assert "too many API requests" in refused.data_json["message"]
    assert len(refused.headers.getlist("Retry-After")) == 1
    alice = ApiCaller(limited.test_client(), api_token(app, users["alice"]))
    assert alice.get("/comments").status_code == 200  # her own count


def test_wrong_tokens_per_address_are_limited_but_never_a_valid_one(app, database, users,
                                                                    close_apps):
    limited = limited_app(database, API_FAILED_AUTHENTICATION_LIMITS_PER_ADDRESS="2 per minute")
    close_apps(limited)
    guesser = ApiCaller(limited.test_client(), BEARER + "A" * 43)
    assert [guesser.get("/comments").status_code for _ in range(2)] == [401, 401]
    refused = guesser.get("/comments")
    assert refused.status_code == 429
    assert "missing or wrong access token" in refused.data_json["message"]
    holder = ApiCaller(limited.test_client(), api_token(app, users["bob"]))
    assert holder.get("/comments").status_code == 200


def test_comments_posted_on_the_board_and_the_api_count_together(app, database, users,
                                                                  close_apps):
    limited = limited_app(database, COMMENT_LIMITS_PER_USER="2 per minute")
    close_apps(limited)
    web = WebUser(limited.test_client())
    assert web.login().status_code == 302
    assert web.post_comment("On the board").status_code == 302
    caller = ApiCaller(limited.test_client(), api_token(app, users["bob"]))
    assert caller.post("/comments", json={"content": "Through the API"}).status_code == 201
    refused = caller.post("/comments", json={"content": "One too many"})
    assert refused.status_code == 429
    assert "too many comments" in refused.data_json["message"]
    assert caller.get("/comments").status_code == 200  # reading is not posting
    assert [row[1] for row in all_comments(app)] == ["On the board", "Through the API"]


def test_the_openapi_description_is_valid_and_served(client):
    document = json.loads(OPENAPI_FILE.read_text())
    validate_openapi(document)
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.content_type == "application/json"
    assert answer.get_json() == document
    assert answer.get_data() == OPENAPI_FILE.read_bytes()


def test_the_description_names_every_endpoint_of_the_api_and_no_other(app):
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix(OPENAPI.base)
            for converter in ("int:", "path:"):
                path = path.replace(f"<{converter}", "{")
            routes.setdefault(path.replace(">", "}"), set()).update(
                rule.methods - {"HEAD", "OPTIONS"})
    documented = {path: {method.upper() for method in item if method != "parameters"}
                  for path, item in OPENAPI.document["paths"].items()}
    assert routes == documented
