"""The accounts service: finding, authenticating, creating and deleting users,
changing passwords and rights, and ending sessions. The web pages and the
command line both go through it."""
import sqlalchemy as sa

from ..board.page_cache import BEFORE_THE_UPGRADE
from ..extensions import db
from ..models import ApiToken, Comment, CommentReport, CommentRevision, User
from . import hash_methods, sessions
from .passwords import (dummy_hash, hash_method, hash_password, is_outdated, password_matches,
                        password_problem)
from .usernames import (could_be_username, normalized_username, username_key,  # noqa: F401
                        username_problem)
from .wording import gettext as _

ANY_ACCOUNT = sa.select(User.id).exists()


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


def find_user(username):
    """The user with that name, ignoring case (see usernames.py), or None."""
    return db.session.scalar(sa.select(User).where(User.username_key == username_key(username)))


def accounts_exist():
    return db.session.scalar(sa.select(ANY_ACCOUNT))


def all_users():
    return db.session.scalars(sa.select(User).order_by(User.username)).all()


def authenticate(username, password):
    """The active user with that name and password, or None.

    A hash made otherwise than new ones are is replaced by a new one, now that
    the password is known. Every attempt checks the password once for each
    hash method in use (see hash_methods.py), so that its time tells nothing."""
    user = find_user(username) if could_be_username(username) else None
    if user is not None and user.username != normalized_username(username):
        user = None  # one logs in with one's name as it is spelt
    own_method = hash_method(user.password_hash) if user is not None else None
    matches = user is not None and password_matches(user.password_hash, password)
    for method in hash_methods.methods_in_use() - {own_method}:
        dummy = dummy_hash(method)
        if dummy is not None:
            password_matches(dummy, password)
    if not matches or not user.is_active:
        return None
    if is_outdated(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
        hash_methods.forget()
    return user


def check_password(user, password):
    return password_matches(user.password_hash, password)


def new_account_problem(username, password):
    return username_problem(username) or password_problem(password, username)


def taken(username, existing=None):
    message = _("The username %(name)s is already taken.", name=repr(username))
    if existing is not None and existing.username != username:
        message += " " + _("Names that differ only in case or width, such as %(name)s, are the "
                           "same name.", name=repr(existing.username))
    return AccountError(message)


def create_user(username, password, is_admin=False, email=None):
    """A new account; ``email``, when given, is an address still to be verified."""
    problem = new_account_problem(username, password)
    if problem:
        raise AccountError(problem)
    username = normalized_username(username)
    existing = find_user(username)
    if existing is not None:
        raise taken(username, existing)
    user = User(username=username, username_key=username_key(username),
                password_hash=hash_password(password), is_admin=is_admin,
                email=email)
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise taken(username) from None
    return user


def create_first_administrator(username, password):
    """Create an administrator if, and only if, no account exists: the check
    and the insert are one statement in a serializable transaction, so of two
    simultaneous attempts at most one succeeds. Returns the new user, or None
    when an account already existed."""
    problem = new_account_problem(username, password)
    if problem:
        raise AccountError(problem)
    username = normalized_username(username)
    given = {"username": username, "username_key": username_key(username),
             "password_hash": hash_password(password), "is_admin": True}
    values = sa.select(*(sa.literal(value, User.__table__.c[name].type)
                         for name, value in given.items())).where(~ANY_ACCOUNT)
    # The columns' own defaults fill in the rest.
    insert = sa.insert(User).from_select(list(given), values, include_defaults=True)
    try:
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="SERIALIZABLE")
            with connection.begin():
                result = connection.execute(insert.execution_options(preserve_rowcount=True))
                created = result.rowcount == 1
    except sa.exc.DBAPIError:
        # A serialization failure or deadlock means a simultaneous attempt won.
        db.session.rollback()
        if accounts_exist():
            return None
        raise
    # End the session's transaction, whose snapshot may predate the new row.
    db.session.rollback()
    return find_user(username) if created else None


def end_sessions(user):
    """Log the user out everywhere, remember-me cookies included: their login
    sessions (sessions.py) are deleted, and so are their API tokens. The
    caller commits."""
    sessions.end_user_sessions(user)
    db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))


def end_other_sessions(user):
    """Log the user out everywhere but in the session they are using."""
    sessions.end_user_sessions(user, keep_token=user.session_token)
    db.session.commit()


def change_password(user, password):
    """Set a new password; every session of the user ends."""
    problem = password_problem(password, user.username)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.session.commit()


def rename_user(username, new_username):
    """Give the account named ``username`` (exactly) a new name; its password,
    rights, comments and sessions stay. Works on a database whose names are
    not yet unique ignoring case (before the upgrade that makes them so, which
    asks for this), so it reads only the id and username columns."""
    problem = username_problem(new_username)
    if problem:
        raise AccountError(problem)
    new_username = normalized_username(new_username)
    users = User.__table__
    rows = db.session.execute(sa.select(users.c.id, users.c.username)).all()
    matches = [user_id for user_id, name in rows if name == username]
    if not matches:
        raise AccountError(_("There is no user %(name)s.", name=repr(username)))
    user_id = matches[0]
    if any(username_key(name) == username_key(new_username) and other_id != user_id
           for other_id, name in rows):
        raise taken(new_username)
    values = {"username": new_username}
    options = {}
    if "username_key" in {column["name"] for column in
                          sa.inspect(db.session.connection()).get_columns("users")}:
        values["username_key"] = username_key(new_username)
    else:
        # Asked for by the upgrade, on a database not yet up to date: no
        # site serves pages from it, and its board_version is an older shape.
        options = BEFORE_THE_UPGRADE
    try:
        db.session.execute(sa.update(users).where(users.c.id == user_id).values(**values),
                           execution_options=options)
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise taken(new_username) from None
    return new_username


# An administrator who can log in: the site needs at least one.
WORKING_ADMINISTRATOR = sa.and_(User.is_admin, ~User.is_disabled)


def is_last_administrator(user):
    """Whether the user is the only working administrator, as the pages
    show it; a change relies on ``refuse_leaving_no_administrator`` instead."""
    if not (user.is_admin and not user.is_disabled):
        return False
    others = sa.select(User.id).where(WORKING_ADMINISTRATOR, User.id != user.id).exists()
    return not db.session.scalar(sa.select(others))


def refuse_leaving_no_administrator(user, message):
    """Before a change that takes the user out of the working administrators:
    raise ``AccountError(message)`` if nobody else would be one. The working
    administrators' rows are read and locked until the session's transaction
    ends, so of two such changes made at once the second waits for the first
    and sees it: ``SELECT … FOR UPDATE`` on MariaDB and PostgreSQL (whose
    locking reads see the newest rows); on SQLite, which locks the whole
    database, its write lock is taken before the read."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("UPDATE users SET is_admin = is_admin WHERE 0"))
    working = db.session.scalars(sa.select(User.id).where(WORKING_ADMINISTRATOR)
                                 .order_by(User.id).with_for_update()).all()
    if user.id in working and len(working) == 1:
        raise AccountError(message)


def set_administrator(user, is_admin):
    if not is_admin:
        refuse_leaving_no_administrator(user, _(
            "%(name)s is the last administrator; make another user an administrator first.",
            name=user.username))
    user.is_admin = is_admin
    db.session.commit()


def set_disabled(user, is_disabled):
    if is_disabled:
        refuse_leaving_no_administrator(user, _(
            "%(name)s is the last administrator; make another user an administrator first.",
            name=user.username))
    user.is_disabled = is_disabled
    if is_disabled:
        end_sessions(user)
    db.session.commit()


def delete_user(user):
    """Delete an account; its comments stay, shown as posted by Anonymous Coward.
    The last administrator is never deleted: the site would have nobody to run it."""
    refuse_leaving_no_administrator(user, _(
        "%(name)s is the last administrator; make another user an administrator first.",
        name=user.username))
    db.session.execute(
        sa.update(Comment).where(Comment.commenter_id == user.id).values(commenter_id=None)
    )
    # What the foreign keys do on the server engines, done here for SQLite too.
    db.session.execute(sa.delete(CommentReport).where(CommentReport.reporter_id == user.id))
    db.session.execute(sa.update(CommentRevision).where(CommentRevision.editor_id == user.id)
                       .values(editor_id=None))
    end_sessions(user)
    db.session.delete(user)
    db.session.commit()
