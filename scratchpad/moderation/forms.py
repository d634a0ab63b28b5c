"""The report form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from ..board.forms import unify_line_breaks
from ..models import REPORT_REASON_MAX_LENGTH


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("Why should a moderator look at it? (optional)"),
        filters=[unify_line_breaks, lambda text: text.strip() if text else text],
        validators=[Optional(), Length(max=REPORT_REASON_MAX_LENGTH, message=_l(
            "A reason can be at most %(max)d characters."))],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Report comment"))
