"""Helpers shared by the test modules: a visitor with a browser's habits,
reading pages as a person does, and setting up data."""
import email
import email.policy
import json
import re
import threading
import time
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

import scratchpad.api
from scratchpad import create_app
from scratchpad.accounts import service
from scratchpad.api import tokens as api_tokens
from scratchpad.extensions import db
from scratchpad.models import Comment, User

OPENAPI_FILE = Path(scratchpad.api.__file__).with_name("openapi.json")

PASSWORD = "correct horse battery"


def csrf_token(client, path="/login/"):
    """The CSRF token from the form on a page, as a browser would send it."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class WebUser:
    """The test client used as a person with a browser would: forms carry their CSRF token."""

    def __init__(self, client):
        self.client = client

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def post_form(self, path, data, form_page=None, **kwargs):
        data = dict(data)
        data.setdefault("csrf_token", csrf_token(self.client, form_page or path))
        return self.client.post(path, data=data, **kwargs)

    def login(self, username="bob", password=PASSWORD, **kwargs):
        return self.post_form("/login/", {"username": username, "password": password}, **kwargs)

    def logout(self):
        return self.post_form("/logout/", {}, form_page="/logout/")

    def post_comment(self, text, **kwargs):
        return self.post_form("/", {"contents": text}, **kwargs)


def create_user(app, username="bob", password=PASSWORD, is_admin=False):
    """A new account, made as the users page and the command line make them; its id."""
    with app.app_context():
        return service.create_user(username, password, is_admin=is_admin).id


def usernames(app):
    """Every account's name, sorted."""
    with app.app_context():
        return sorted(db.session.scalars(sa.select(User.username)))


def assert_refused_as_a_new_name(app, runner, username, message):
    """``username`` is refused saying ``message`` by the accounts' service,
    ``flask users create`` and the administrators' Users page, and no account
    is added beside the administrator "admin" the test has made."""
    with app.app_context(), pytest.raises(service.AccountError, match=message):
        service.create_user(username, PASSWORD)

    result = runner.invoke(args=["users", "create", username, "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert message in result.output

    admin = WebUser(app.test_client())
    admin.login("admin")
    response = admin.post_form("/admin/users/", {"username": username, "new_password": PASSWORD,
                                                 "new_password_again": PASSWORD})
    assert response.status_code == 400
    assert message in visible_text(response)
    assert usernames(app) == ["admin"]


def visible_text(response):
    """The page as a reader sees it: tags removed, white space folded."""
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def add_comment(app, content, posted=None, commenter_id=None, **columns):
    """A comment stored directly (as one from before formatting, unless
    ``rendered_html`` is given); its id."""
    with app.app_context():
        comment = Comment(content=content, posted=posted, commenter_id=commenter_id, **columns)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def all_comments(app):
    with app.app_context():
        return [(c.id, c.content, c.posted, c.commenter_id)
                for c in db.session.scalars(db.select(Comment).order_by(Comment.id))]


def is_logged_in(web):
    """Whether the account page opens, rather than sending to the login page."""
    return web.get("/account/").status_code == 200


def comment_state(app, comment_id):
    """What is stored about a comment, or None when it is gone."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            return None
        return {"content": comment.content, "parent_id": comment.parent_id,
                "edited_at": comment.edited_at, "rendered_html": comment.rendered_html,
                "is_hidden": comment.is_hidden, "is_held": comment.is_held,
                "revisions": [revision.content for revision in comment.revisions],
                "reports": [(report.reporter_id, report.reason, report.reviewed)
                            for report in comment.reports]}


def newest_comment_id(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.max(Comment.id)))


class Mailbox:
    """An aiosmtpd handler keeping every mail it is given, parsed, with the
    envelope's recipients; ``refuse`` makes it refuse recipients with a 550."""

    def __init__(self):
        self.mails = []
        self.refuse = False
        self.port = None
        self.arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.mails.append((list(envelope.rcpt_tos), message))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address):
        """The mails sent to an address, oldest first."""
        return [message for recipients, message in self.mails if address in recipients]

    def wait_for(self, address, count=1, seconds=10):
        """The mails sent to an address, once there are ``count`` of them (some
        are sent from a thread of their own, after the page has answered)."""
        with self.arrived:
            arrived = self.arrived.wait_for(lambda: len(self.to(address)) >= count, seconds)
        assert arrived, f"{len(self.to(address))} of {count} mails to {address} arrived"
        return self.to(address)


def wait_until(condition, seconds=10):
    """Wait for something another thread or process does; whether it happened."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def mail_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, base="http://board.example.test"):
    """The one link of a mail, as a path on the site."""
    links = re.findall(r"https?://\S+", mail_text(message))
    assert len(links) == 1, links
    assert links[0].startswith(base + "/"), links[0]
    return links[0][len(base):]


def token_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]



def api_token(app, user_id, name="test token", lifetime=None):
    """A new personal access token of the user, as the account page makes them."""
    with app.app_context():
        return api_tokens.issue(db.session.get(User, user_id), name, lifetime)[1]


class OpenApiDescription:
    """scratchpad/api/openapi.json, and a check of an API answer against it:
    its status is documented for the operation, its documented headers are
    there, and its body matches the schema."""

    def __init__(self):
        self.document = json.loads(OPENAPI_FILE.read_text())
        self.base = self.document["servers"][0]["url"]

    def operation(self, method, path):
        """The path template of a request path (query and all), and the
        operation it names for ``method`` (None when there is none)."""
        relative = path.split("?", 1)[0][len(self.base):]
        for template, item in self.document["paths"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(template))
            if re.fullmatch(pattern, relative):
                return template, item.get(method.lower())
        return None, None

    def follow(self, item):
        """An object of the description, with its ``$ref`` followed."""
        while "$ref" in item:
            reference = item["$ref"]
            item = self.document
            for part in reference.removeprefix("#/").split("/"):
                item = item[part]
        return item

    def schema_problems(self, schema, data):
        validator = jsonschema.Draft202012Validator(
            {**schema, "components": self.document["components"]},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        return [f"{list(error.absolute_path)}: {error.message}"
                for error in validator.iter_errors(data)]

    def check(self, method, path, status, headers, body):
        """Asserts that an answer (status, headers, body bytes) is as documented;
        its JSON, or None for an empty body."""
        template, operation = self.operation(method, path)
        if operation is None:
            # A path or method the API does not have: still the error format.
            assert status in (404, 405), (method, path, status)
            response = {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}
        else:
            assert str(status) in operation["responses"], \
                f"{method} {template} answered {status}, which is not documented"
            response = self.follow(operation["responses"][str(status)])
        for name in response.get("headers", {}):
            assert name in headers, f"{method} {template} {status} has no {name} header"
        if "content" not in response:
            assert body == b"", body
            return None
        assert headers["Content-Type"] == "application/json", headers["Content-Type"]
        data = json.loads(body)
        problems = self.schema_problems(response["content"]["application/json"]["schema"], data)
        assert not problems, (method, path, status, problems, data)
        return data


OPENAPI = OpenApiDescription()


class ApiCaller:
    """The test client used as a script uses the API, with a token; every
    answer is checked against the OpenAPI description."""

    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def request(self, method, path, token=None, headers=None, **kwargs):
        headers = dict(headers or {})
        token = token or self.token
        if token:
            headers.setdefault("Authorization", f"Bearer {token}")
        response = self.client.open(OPENAPI.base + path, method=method, headers=headers, **kwargs)
        response.data_json = OPENAPI.check(method, OPENAPI.base + path, response.status_code,
                                           response.headers, response.get_data())
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


# In a real browser (Playwright's page), against a served site.

BOB_PASSWORD = "his own secret phrase"


def flash(page):
    return page.locator(".flash")


def log_in_with_the_keyboard(page, server, username, password):
    """Log in as someone who uses no mouse: the username field has the focus."""
    page.goto(f"{server.url}/login/")
    # Autofocus settles after the page has loaded: typing before it would lose keys.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def log_out(page):
    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Log out").click()
    expect(flash(page)).to_have_text("Logged out.")


def log_in_as(page, server, username, password):
    page.goto(f"{server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(flash(page)).to_have_text(f"Logged in as {username}.")


def add_comment_to_served_site(server, content, posted, username):
    """A comment by ``username`` in the database of a site served by ``server``."""
    app = create_app({"DATABASE_URL": server.environment["DATABASE_URL"],
                      "SECRET_KEY": server.environment["SECRET_KEY"]})
    with app.app_context():
        commenter = db.session.scalar(db.select(User).where(User.username == username))
        db.session.add(Comment(content=content, posted=posted, commenter=commenter))
        db.session.commit()
        db.engine.dispose()


CUT_OFF_CONTROLS = """() => {
    const cut = [];
    const pageRight = document.documentElement.clientWidth;
    for (const control of document.querySelectorAll("a, button, input, select, textarea")) {
        const box = control.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;  // not shown, or visually hidden
        let right = pageRight;
        for (let box_ = control.parentElement; box_; box_ = box_.parentElement) {
            if (getComputedStyle(box_).overflowX !== "visible") {
                right = Math.min(right, box_.getBoundingClientRect().right);
            }
        }
        if (box.right > right + 1) cut.push(control.innerText.trim() || control.outerHTML.slice(0, 80));
    }
    return cut;
}"""


def cut_off_controls(page):
    """The links, buttons and fields on ``page`` that reach past its right
    edge, or past the edge of a box that scrolls or clips them."""
    return page.evaluate(CUT_OFF_CONTROLS)
