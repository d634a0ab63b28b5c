"""Login sessions the server keeps, and can end.

Each login makes a row in ``login_sessions`` with a random token; the
session cookie and the remember-me cookie carry the token (it is what
``User.get_id()`` returns), the table only its SHA-256 hash. A request is
logged in only while its session's row exists: logging out deletes the row,
and so do a password change, disabling and deleting the account, so that no
cookie issued before works again."""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_babel import gettext
from flask_login import login_user

from ..extensions import db
from ..models import USER_AGENT_MAX_LENGTH, LoginSession, User, utc_now

TOKEN_BYTES = 32
# Reading a page refreshes "last seen" at most this often, so that most reads
# write nothing.
LAST_SEEN_PRECISION = timedelta(minutes=1)
SYSTEMS = {"Windows": "Windows", "Android": "Android", "iPhone": "iPhone", "iPad": "iPad",
           "Mac OS X": "macOS", "Linux": "Linux"}
UNKNOWN_BROWSER = "Unknown browser"


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime():
    """How long a login session lasts unused; the remember-me cookie lasts as long."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def browser_summary(user_agent):
    """A short, readable name for the browser a session was started from."""
    user_agent = user_agent or ""
    for browser in ("Edg", "OPR", "Firefox", "Chrome", "Safari"):
        if f"{browser}/" in user_agent:
            name = {"Edg": "Edge", "OPR": "Opera"}.get(browser, browser)
            break
    else:
        name = user_agent.split("/", 1)[0] or UNKNOWN_BROWSER
    for system, system_name in SYSTEMS.items():
        if system in user_agent:
            return f"{name} on {system_name}"[:USER_AGENT_MAX_LENGTH]
    return name[:USER_AGENT_MAX_LENGTH]


def browser_text(summary):
    """A session's browser as the account page shows it: the summary kept in
    English (see browser_summary), its own words in the page's language."""
    if not summary or summary == UNKNOWN_BROWSER:
        return gettext("Unknown browser")
    name, on, system = summary.rpartition(" on ")
    if on and system in SYSTEMS.values():
        return gettext("%(browser)s on %(system)s", browser=name, system=system)
    return summary


def start_session(user, remembered=False):
    """Record a new login session for ``user`` and give the user object its
    token, for Flask-Login to put in the cookies. Commits."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    # The user's expired sessions go as a new one comes: found by a plain
    # read, deleted by id. (Deleting by user would lock the range of the
    # user's sessions on MariaDB, and two logins of one account at once would
    # deadlock on each other's new rows.)
    expired = db.session.scalars(sa.select(LoginSession.id).where(
        LoginSession.user_id == user.id, LoginSession.last_seen < utc_now() - lifetime())).all()
    if expired:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.id.in_(expired)))
    db.session.add(LoginSession(user_id=user.id, token_hash=token_hash(token),
                                user_agent=browser_summary(request.headers.get("User-Agent")),
                                remembered=remembered))
    db.session.commit()
    user.session_token = token
    return token


# Values other features read on every logged-in request, asked in the same
# statement as the user to save a round trip: name -> scalar subquery.
READ_WITH_THE_USER = {}
# The statement that finds a token's user, with the names of the values it
# reads along: (names, statement). Built when first needed, once the features
# have said what to read with the user, and again after any change to that.
# Reusing one statement object spares each request building it, and
# SQLAlchemy computing its cache key, which it keeps on the object.
statement_for_the_user = None


def read_with_the_user(name, scalar_subquery):
    """Have every logged-in request read ``scalar_subquery`` along with its
    user; the value is then ``values_read_with_the_user()[name]``."""
    global statement_for_the_user
    READ_WITH_THE_USER[name] = scalar_subquery
    statement_for_the_user = None


def values_read_with_the_user():
    return g.get("values_read_with_the_user", {})


def build_statement_for_the_user():
    """The user as an ORM object (Flask-Login's current_user), the session's
    two columns as plain values, then the values read with the user: what
    every logged-in request asks, by the hash of its token."""
    global statement_for_the_user
    names = tuple(READ_WITH_THE_USER)
    statement = (
        sa.select(User, LoginSession.id, LoginSession.last_seen,
                  *(READ_WITH_THE_USER[name] for name in names))
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == sa.bindparam("token_hash")))
    statement_for_the_user = (names, statement)
    return statement_for_the_user


def user_for_token(token):
    """The user whose live login session has this token, or None. Marks the
    session as seen now (at most once a minute)."""
    if not token:
        return None
    names, statement = statement_for_the_user or build_statement_for_the_user()
    found = db.session.execute(statement, {"token_hash": token_hash(token)}).one_or_none()
    if found is None:
        return None
    user, session_id, last_seen, *values = found
    g.values_read_with_the_user = dict(zip(names, values))
    now = utc_now()
    if last_seen < now - lifetime():
        return None
    if last_seen < now - LAST_SEEN_PRECISION:
        db.session.execute(sa.update(LoginSession).where(LoginSession.id == session_id)
                           .values(last_seen=now))
        db.session.commit()
    user.session_token = token
    return user


def end_session(token):
    """End the login session with this token, wherever its cookies are. Commits."""
    if token:
        db.session.execute(
            sa.delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))
        db.session.commit()


def end_user_sessions(user, keep_token=None):
    """End every login session of ``user`` (but the one with ``keep_token``).
    The caller commits."""
    ended = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_token:
        ended = ended.where(LoginSession.token_hash != token_hash(keep_token))
    db.session.execute(ended)


def live_sessions(user):
    """The user's login sessions that have not ended, most recently used first."""
    return db.session.scalars(
        sa.select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.last_seen >= utc_now() - lifetime())
        .order_by(LoginSession.last_seen.desc(), LoginSession.id.desc())).all()


def is_current(login_session, user):
    token = user.session_token
    return token is not None and login_session.token_hash == token_hash(token)


def log_in(user, remember=False):
    """Start a new login session: a new Flask session (and with it a new CSRF
    secret), a new server-side record, and cookies that name it."""
    session.clear()
    start_session(user, remembered=remember)
    login_user(user, remember=remember)
