"""The forms for joining and getting back in: signing up, resetting a
password, an email address, and deleting one's own account."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from .emails import email_problem, normalized_email
from .forms import NewAccountForm, new_password_fields


def acceptable_email(form, field):
    if field.data or field.flags.required:
        problem = email_problem(field.data)
        if problem:
            raise ValidationError(problem)


def email_field(label=_l("Email address"), required=True):
    validators = [InputRequired(message=_l("Enter your email address."))] if required else []
    return EmailField(label, filters=[normalized_email], validators=[*validators, acceptable_email],
                      render_kw={"autocomplete": "email"})


class SignUpForm(NewAccountForm):
    email = email_field()
    # Hidden from people by the page's style sheet; filled in only by robots.
    website = StringField(_l("Leave this field empty"),
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    submit = SubmitField(_l("Create account"))


class InvitedSignUpForm(SignUpForm):
    email = email_field(_l("Email address (optional: for resetting your password)"),
                        required=False)


class ResetRequestForm(FlaskForm):
    email = email_field(_l("The email address of your account"))
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    new_password, new_password_again = new_password_fields()
    submit = SubmitField(_l("Set the new password"))


class EmailForm(FlaskForm):
    email = email_field(_l("New email address"))
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()],
                                     render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Change email address"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(
        message=_l("Type your password to delete your account."))],
        render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Delete my account"))
