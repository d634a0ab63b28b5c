"""Form pieces more than one feature uses."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for logging out and deleting."""
    submit = SubmitField(_l("Confirm"))
