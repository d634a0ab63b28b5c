"""The site's forms; Flask-WTF gives each a CSRF token."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from .passwords import password_problem

COMMENT_MAX_LENGTH = 4096


def unify_line_breaks(text):
    """Browsers send a line break as CR LF; keep it, and count it, as one character."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


class CommentForm(FlaskForm):
    contents = TextAreaField(
        "Your comment",
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
    submit = SubmitField("Post comment")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired()],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("Password", validators=[InputRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for logging out and deleting."""
    submit = SubmitField("Confirm")


def acceptable_password(form, field):
    problem = password_problem(field.data)
    if problem:
        raise ValidationError(problem)


def new_password_fields():
    return (
        PasswordField("New password", validators=[InputRequired(), acceptable_password],
                      render_kw={"autocomplete": "new-password"}),
        PasswordField("New password again", validators=[
            InputRequired(), EqualTo("new_password", message="The two passwords differ."),
        ], render_kw={"autocomplete": "new-password"}),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[InputRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password, new_password_again = new_password_fields()
    submit = SubmitField("Change password")
