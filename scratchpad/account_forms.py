"""The form for a new account, used by first-run setup and the users page."""
from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError
from wtforms.validators import DataRequired, Length

from .forms import new_password_fields
from .passwords import password_problem

USERNAME_MAX_LENGTH = 128


def strip_whitespace(text):
    return text.strip() if text else text


class NewAccountForm(FlaskForm):
    username = StringField(
        "Username", filters=[strip_whitespace],
        validators=[
            DataRequired(message="Choose a username."),
            Length(max=USERNAME_MAX_LENGTH,
                   message=f"A username can be at most {USERNAME_MAX_LENGTH} characters."),
        ],
        render_kw={"autocomplete": "off"},
    )
    new_password, new_password_again = new_password_fields()

    def validate_new_password(self, field):
        if field.errors:  # already too short
            return
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)
