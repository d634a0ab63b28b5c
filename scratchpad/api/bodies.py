"""Reading a request's JSON body strictly: an object with known fields, each
of the right type, or a 400 (415 when it is not JSON at all, 413 when it is
too large) saying what is wrong; nothing is half-understood."""
from flask import abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..board.forms import CommentForm
from ..site.ids import MAX_ID
from . import bp

# A comment's JSON is at most about 50 KB, however its text is escaped.
MAX_BODY_BYTES = 64 * 1024


@bp.before_request
def limit_body_size():
    request.max_content_length = MAX_BODY_BYTES


def json_body():
    if not request.is_json:
        abort(415, description="The body must be JSON, sent with 'Content-Type: "
                               "application/json'.")
    try:
        body = request.get_data()
    except RequestEntityTooLarge:
        abort(413, description=f"The body is larger than {MAX_BODY_BYTES // 1024} KiB.")
    try:
        return current_app.json.loads(body)
    except ValueError as error:  # UnicodeDecodeError included
        abort(400, description=f"The body is not valid JSON: {error}.")
    except RecursionError:
        # The parser's bound on nesting, far deeper than any body the API reads.
        abort(400, description="The body is nested too deeply: the API reads flat JSON objects.")


def json_fields(known):
    """The body's fields: a JSON object with none but the ``known`` ones."""
    fields = json_body()
    if not isinstance(fields, dict):
        abort(400, description='The body must be a JSON object, such as {"content": "Hello"}.')
    unknown = sorted(set(fields) - set(known))
    if unknown:
        abort(400, description=f"Unknown field {unknown[0]!r}: the fields are "
                               + ", ".join(repr(name) for name in known) + ".")
    return fields


def comment_text(fields, name="content"):
    """A comment's text, checked by the board's own form: the same line
    breaks, the same length limit, the same messages."""
    text = fields.get(name)
    if not isinstance(text, str):
        abort(400, description=f"{name!r} must be a string: the comment's text.")
    if "\x00" in text:
        abort(400, description=f"{name!r} must not contain a NUL character.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, such as "\ud800"
        abort(400, description=f"{name!r} must be Unicode text (it has a lone surrogate).")
    form = CommentForm(formdata=None, data={"contents": text}, meta={"csrf": False})
    if not form.validate():
        abort(400, description=form.contents.errors[0])
    return form.contents.data


def comment_id(fields, name):
    """An optional comment id: None, or a whole number; one that no comment
    can have is 404, as in URLs (site/ids.py)."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        abort(400, description=f"{name!r} must be a comment's id, a positive whole number.")
    if value > MAX_ID:
        abort(404, description="There is no such comment.")
    return value
