"""The form for a new personal access token; Flask-WTF gives it a CSRF token."""
from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from ..models import API_TOKEN_NAME_MAX_LENGTH

# choice -> how long a token lasts (None: until it is revoked)
LIFETIMES = {
    "7": timedelta(days=7),
    "30": timedelta(days=30),
    "90": timedelta(days=90),
    "365": timedelta(days=365),
    "never": None,
}
LIFETIME_CHOICES = [SelectChoice("7", "7 days"), SelectChoice("30", "30 days"),
                    SelectChoice("90", "90 days"), SelectChoice("365", "1 year"),
                    SelectChoice("never", "Never (until you revoke it)")]


def strip(text):
    return text.strip() if text else text


class NewTokenForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired(message="Give the token a name, such as what will use it."),
            Length(max=API_TOKEN_NAME_MAX_LENGTH,
                   message=f"A name can be at most {API_TOKEN_NAME_MAX_LENGTH} characters."),
        ],
        render_kw={"autocomplete": "off"},
    )
    lifetime = SelectField("Expires after", choices=LIFETIME_CHOICES, default="30")
    submit = SubmitField("Make token")

    def chosen_lifetime(self):
        return LIFETIMES[self.lifetime.data]
