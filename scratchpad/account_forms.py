"""The form for a new account, used by first-run setup and the users page."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .accounts import USERNAME_MAX_LENGTH
from .forms import new_password_fields


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
