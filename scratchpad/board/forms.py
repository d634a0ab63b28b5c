"""The forms for posting, answering and editing a comment; Flask-WTF gives
them a CSRF token."""
from flask_babel import gettext, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import SubmitField, TextAreaField
from markupsafe import Markup
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
            DataRequired(message=_l("Write something before posting.")),
            # WTForms fills in %(max)d.
            Length(max=COMMENT_MAX_LENGTH,
                   message=_l("A comment can be at most %(max)d characters.")),
        ],
        # No maxlength: it would cut a long paste short without a word; the
        # page's counter says when the text is too long, and the server refuses it.
        render_kw={"rows": 3, "maxlength": False, "data-max-characters": COMMENT_MAX_LENGTH},
    )


class CommentForm(FlaskForm):
    contents = comment_text_field(_l("Your comment"))
    submit = SubmitField(_l("Post comment"))


class ReplyForm(FlaskForm):
    contents = comment_text_field(_l("Your reply"))
    submit = SubmitField(_l("Post reply"))


class EditForm(FlaskForm):
    contents = comment_text_field(_l("Your comment"))
    submit = SubmitField(_l("Save changes"))


class ReplyBoxes:
    """What every reply box on a page shares, read from one ReplyForm and
    translated once: the boxes are written out in the thread template
    (board/_comment.html), one under each comment that may be answered."""

    def __init__(self):
        form = ReplyForm(formdata=None)
        self.csrf_token = generate_csrf()
        self.label = str(form.contents.label.text)
        self.submit_label = str(form.submit.label.text)
        self.max_length = form.contents.render_kw["data-max-characters"]
        # The markup is the message's own; nothing is filled in.
        self.summary = Markup(gettext('Reply<span class="visually-hidden"> to this comment</span>'))
        self.placeholder = gettext("Write a reply…")
        self.counter = ngettext("Up to %(num)d character.", "Up to %(num)d characters.",
                                self.max_length)
