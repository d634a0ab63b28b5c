"""The accounts service: finding, authenticating, creating and deleting users,
changing passwords and rights, and ending sessions. The web pages and the
command line both go through it."""
import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, User
from .passwords import (dummy_hash, hash_password, is_outdated, password_matches,
                        password_problem)
from .usernames import could_be_username, username_problem

ANY_ACCOUNT = sa.select(User.id).exists()


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


def find_user(username):
    """The user with exactly that name. MySQL compares names without regard to
    case or trailing spaces; the check in Python makes every database agree."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    return user if user is not None and user.username == username else None


def accounts_exist():
    return db.session.scalar(sa.select(ANY_ACCOUNT))


def all_users():
    return db.session.scalars(sa.select(User).order_by(User.username)).all()


def authenticate(username, password):
    """The active user with that name and password, or None.

    A hash made with older parameters is replaced by one made with the current
    ones, now that the password is known."""
    user = find_user(username) if could_be_username(username) else None
    if user is None:
        password_matches(dummy_hash(), password)
        return None
    if not password_matches(user.password_hash, password) or not user.is_active:
        return None
    if is_outdated(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def check_password(user, password):
    return password_matches(user.password_hash, password)


def new_account_problem(username, password):
    return username_problem(username) or password_problem(password)


def create_user(username, password, is_admin=False, email=None):
    """A new account; ``email``, when given, is an address still to be verified."""
    username = (username or "").strip()
    problem = new_account_problem(username, password)
    if problem:
        raise AccountError(problem)
    if find_user(username) is not None:
        raise AccountError(f"The username {username!r} is already taken.")
    user = User(username=username, password_hash=hash_password(password), is_admin=is_admin,
                email=email)
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise AccountError(f"The username {username!r} is already taken.") from None
    return user


def create_first_administrator(username, password):
    """Create an administrator if, and only if, no account exists: the check
    and the insert are one statement in a serializable transaction, so of two
    simultaneous attempts at most one succeeds. Returns the new user, or None
    when an account already existed."""
    username = (username or "").strip()
    problem = new_account_problem(username, password)
    if problem:
        raise AccountError(problem)
    given = {"username": username, "password_hash": hash_password(password), "is_admin": True}
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
    """Log the user out everywhere, remember-me cookies included: the id their
    sessions carry no longer matches."""
    user.session_version = (user.session_version or 0) + 1


def change_password(user, password):
    """Set a new password; every session of the user ends."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.session.commit()


def is_last_administrator(user):
    if not user.is_admin:
        return False
    others = sa.select(User.id).where(User.is_admin, User.id != user.id).exists()
    return not db.session.scalar(sa.select(others))


def set_administrator(user, is_admin):
    if not is_admin and is_last_administrator(user):
        raise AccountError(f"{user.username} is the last administrator.")
    user.is_admin = is_admin
    db.session.commit()


def set_disabled(user, is_disabled):
    if is_disabled and is_last_administrator(user):
        raise AccountError(f"{user.username} is the last administrator.")
    user.is_disabled = is_disabled
    if is_disabled:
        end_sessions(user)
    db.session.commit()


def delete_user(user):
    """Delete an account; its comments stay, shown as posted by Anonymous Coward.
    The last administrator is never deleted: the site would have nobody to run it."""
    if is_last_administrator(user):
        raise AccountError(f"{user.username} is the last administrator; make another "
                           "user an administrator first.")
    db.session.execute(
        sa.update(Comment).where(Comment.commenter_id == user.id).values(commenter_id=None)
    )
    db.session.delete(user)
    db.session.commit()
