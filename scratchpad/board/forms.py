"""The forms for posting, answering and editing a comment; Flask-WTF gives
them a CSRF token."""
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models import COMMENT_MAX_LENGTH


def unify_line_breaks(text):
    """Browsers send a line break as CR LF; keep it, and count it, as one character."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


def comment_text_field(label):
    return TextAreaField(
        label,
        filters=[unify_line_breaks],
        validators=[
            DataRequired(message="Write something before posting."),
            Length(max=COMMENT_MAX_LENGTH,
                   message=f"A comment can be at most {COMMENT_MAX_LENGTH} characters."),
        ],
        # No maxlength: it would cut a long paste short without a word; the
        # page's counter says when the text is too long, and the server refuses it.
        render_kw={"rows": 3, "maxlength": False, "data-max-characters": COMMENT_MAX_LENGTH},
    )


class CommentForm(FlaskForm):
    contents = comment_text_field("Your comment")
    submit = SubmitField("Post comment")


class ReplyForm(FlaskForm):
    contents = comment_text_field("Your reply")
    submit = SubmitField("Post reply")


class EditForm(FlaskForm):
    contents = comment_text_field("Your comment")
    submit = SubmitField("Save changes")


class ReplyBoxes:
    """What every reply box on a page shares, read from one ReplyForm: the
    boxes are written out in the thread template (board/_comment.html), one
    under each comment that may be answered."""

    def __init__(self):
        form = ReplyForm(formdata=None)
        self.csrf_token = generate_csrf()
        self.label = form.contents.label.text
        self.submit_label = form.submit.label.text
        self.max_length = form.contents.render_kw["data-max-characters"]
