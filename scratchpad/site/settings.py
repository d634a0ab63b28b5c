"""Settings an administrator changes on the site. Each is stored in the
``site_settings`` table and overrides the configured value of the same name
until changed again."""
import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import SiteSetting


def site_setting(name):
    """The stored value of a setting, or the configured one when none is stored."""
    stored = db.session.get(SiteSetting, name)
    return stored.value if stored is not None else current_app.config[name]


def change_site_setting(name, value):
    stored = db.session.get(SiteSetting, name)
    if stored is None:
        db.session.add(SiteSetting(name=name, value=value))
    else:
        stored.value = value
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Another administrator stored it at the same moment: this change comes after.
        db.session.rollback()
        db.session.get(SiteSetting, name).value = value
        db.session.commit()
