"""The accounts' forms: logging in, changing one's password, and new accounts
(the users page and first-run setup). Flask-WTF gives each a CSRF token."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from ..models import USERNAME_MAX_LENGTH
from .passwords import password_problem
from .usernames import username_problem


def acceptable_password(form, field):
    """The password rule, for the name being created or the user's own."""
    if "username" in form:
        username = form.username.data
    else:
        username = current_user.username if current_user.is_authenticated else None
    problem = password_problem(field.data, username)
    if problem:
        raise ValidationError(problem)


def acceptable_username(form, field):
    problem = username_problem(field.data)
    if problem:
        raise ValidationError(problem)


def new_password_fields():
    return (
        PasswordField(_l("New password"), validators=[InputRequired(), acceptable_password],
                      render_kw={"autocomplete": "new-password"}),
        PasswordField(_l("New password again"), validators=[
            InputRequired(), EqualTo("new_password", message=_l("The two passwords differ.")),
        ], render_kw={"autocomplete": "new-password"}),
    )


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired()],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[InputRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class ReauthenticateForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[InputRequired()],
                             render_kw={"autocomplete": "current-password", "autofocus": True})
    submit = SubmitField(_l("Confirm"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password, new_password_again = new_password_fields()
    submit = SubmitField(_l("Change password"))


class NewAccountForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(message=_l("Choose a username.")),
            Length(max=USERNAME_MAX_LENGTH,
                   message=_l("A username can be at most %(num)d characters.",
                              num=USERNAME_MAX_LENGTH)),
            acceptable_username,
        ],
        render_kw={"autocomplete": "off"},
    )
    new_password, new_password_again = new_password_fields()


class FirstAdministratorForm(NewAccountForm):
    submit = SubmitField(_l("Create administrator"))


class NewUserForm(NewAccountForm):
    is_admin = BooleanField(_l("Administrator"))
    submit = SubmitField(_l("Add user"))
