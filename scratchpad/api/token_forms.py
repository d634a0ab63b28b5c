"""The form for a new personal access token; Flask-WTF gives it a CSRF token."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
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
LIFETIME_CHOICES = [
    SelectChoice("7", lazy_ngettext("%(num)d day", "%(num)d days", 7)),
    SelectChoice("30", lazy_ngettext("%(num)d day", "%(num)d days", 30)),
    SelectChoice("90", lazy_ngettext("%(num)d day", "%(num)d days", 90)),
    SelectChoice("365", lazy_ngettext("%(num)d year", "%(num)d years", 1)),
    SelectChoice("never", _l("Never (until you revoke it)")),
]


def strip(text):
    return text.strip() if text else text


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the token a name, such as what will use it.")),
            Length(max=API_TOKEN_NAME_MAX_LENGTH,
                   message=_l("A name can be at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    lifetime = SelectField(_l("Expires after"), choices=LIFETIME_CHOICES, default="30")
    submit = SubmitField(_l("Make token"))

    def chosen_lifetime(self):
        return LIFETIMES[self.lifetime.data]
