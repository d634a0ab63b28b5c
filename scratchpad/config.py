"""Defaults, and how settings are read.

Precedence, lowest first: the defaults below, the instance folder's
``config.py``, environment variables (``DATABASE_URL``, ``SECRET_KEY`` and
any ``SCRATCHPAD_<SETTING>``), then the mapping given to ``create_app``.
"""
import os
import secrets
import tempfile
from datetime import timedelta

from sqlalchemy.engine import make_url

from .site.database_timeouts import DEFAULT_CONNECT_TIMEOUT, DEFAULT_QUERY_TIMEOUT, engine_options


class Defaults:
    COMMENTS_PER_PAGE = 50  # top-level comments; each comes with all its replies
    EDIT_WINDOW = 15  # minutes in which authors may edit a comment; administrators any time
    # The first N comments of each account wait for an administrator's approval (0: none do).
    HOLD_NEW_ACCOUNTS = 0
    BOARD_PAGE_CACHE = True  # keep anonymous readers' board pages (board/page_cache.py)
    # How long a shared cache in front (nginx, a CDN) may serve a reader's board
    # page before asking the site again; browsers always ask. 0: proxies ask too.
    SHARED_CACHE_SECONDS = 1
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Compress text answers in the app; turn off where a proxy in front does it.
    COMPRESS_RESPONSES = True
    LOG_LEVEL = "INFO"  # of the app's log on standard error
    # The pages' language, such as "de"; None: each reader's browser chooses
    # among English and the catalogues in scratchpad/translations/.
    LANGUAGE = None
    # Never-set values are filled in by load_config().
    DATABASE_URL = None
    SECRET_KEY = None
    # The site's address as its users see it, e.g. https://board.example.org;
    # used for the first-run setup link in the log (never the request's Host).
    PUBLIC_URL = None
    # PythonAnywhere closes MySQL connections idle for 300 s.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 280, "pool_pre_ping": True}
    # Both well inside GUNICORN_TIMEOUT, so that a silent database ends in the
    # 503 page rather than a killed worker (site/database_timeouts.py).
    DATABASE_CONNECT_TIMEOUT = DEFAULT_CONNECT_TIMEOUT
    DATABASE_QUERY_TIMEOUT = DEFAULT_QUERY_TIMEOUT

    PRODUCTION = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = None  # None: on when PRODUCTION is on
    # None: "session" and "remember_token", with the __Host- prefix when the
    # cookies are secure in production (sent only over HTTPS, only to this host).
    SESSION_COOKIE_NAME = None
    REMEMBER_COOKIE_NAME = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = None
    # How long "Remember me" lasts, and how long any login session lasts unused
    # on the server (accounts/sessions.py).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Flask-Login: "basic" marks a session not fresh when the client's address
    # or browser changes; "strong" logs it out.
    SESSION_PROTECTION = "basic"
    # How many reverse proxies in front of the site set X-Forwarded-For/-Proto.
    TRUSTED_PROXIES = 0

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BTN_STYLE = "primary"
    BOOTSTRAP_BTN_SIZE = "md"

    RATELIMIT_ENABLED = True
    # A fixed window lets twice the limit through around its edge; a moving one does not.
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # While Redis is unreachable each process counts on its own, rather than
    # failing every login or letting every attempt through.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Never wait long on the limit storage: a Redis that stopped answering
    # costs a request a fraction of a second, then the fallback counts.
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 0.3, "socket_connect_timeout": 0.3}
    LOGIN_LIMITS_PER_USERNAME = "5 per minute;20 per hour"
    LOGIN_LIMITS_PER_ADDRESS = "20 per minute;100 per hour"
    COMMENT_LIMITS_PER_USER = "10 per minute"
    # Refused password changes: someone at an unattended session guessing the password.
    PASSWORD_CHANGE_LIMITS_PER_USER = "5 per minute;20 per hour"
    # The JSON API (api/): requests per user, whatever the token; requests
    # with a missing or wrong token per client address.
    API_LIMITS_PER_USER = "300 per minute"
    API_FAILED_AUTHENTICATION_LIMITS_PER_ADDRESS = "20 per minute;100 per hour"

    # Who may create an account: "closed" (administrators only), "invite" (also
    # holders of an invitation link) or "open" (anyone, at /signup/). The
    # administrators' settings page overrides it (the site_settings table).
    REGISTRATION = "closed"
    INVITATION_LIFETIME = 7 * 24 * 3600  # seconds
    SIGNUP_LIMITS_PER_ADDRESS = "10 per hour;30 per day"
    INVITATION_LIMITS_PER_ADDRESS = "10 per hour"
    RESET_LIMITS_PER_ADDRESS = "10 per hour"
    RESET_LIMITS_PER_ACCOUNT = "3 per hour"  # counted by the address asked for
    VERIFICATION_MAIL_LIMITS_PER_USER = "3 per hour"
    # A search costs more than a page and is never served from a cache.
    SEARCH_LIMITS_PER_ADDRESS = "30 per minute;300 per hour"
    # The site's address as its users reach it, e.g. https://board.example.org:
    # links in mails are made from it, never from a request's Host header.
    PUBLIC_URL = None
    # Email (Flask-Mail) is on when MAIL_SERVER, MAIL_DEFAULT_SENDER and
    # PUBLIC_URL are all set; without it nothing depends on email.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS, usually on port 587
    MAIL_USE_SSL = False  # TLS from the start, usually on port 465
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = None
    MAIL_TIMEOUT = 10  # seconds to wait for the mail server
    MAIL_SUPPRESS_SEND = False  # Flask-Mail would otherwise not send under TESTING


def load_config(app, overrides=None):
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SCRATCHPAD")
    for name in ("DATABASE_URL", "SECRET_KEY"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if overrides:
        app.config.from_mapping(overrides)

    refuse_negative_or_non_numbers(app, ("EDIT_WINDOW", "HOLD_NEW_ACCOUNTS"))
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[name] is None:
            app.config[name] = bool(app.config["PRODUCTION"])
    for name, plain in (("SESSION_COOKIE_NAME", "session"),
                        ("REMEMBER_COOKIE_NAME", "remember_token")):
        if app.config[name] is None:
            secure = app.config["PRODUCTION"] and app.config[name.replace("NAME", "SECURE")]
            app.config[name] = "__Host-" + plain if secure else plain
    url = app.config["DATABASE_URL"]
    if not url:
        make_private_directory(app.instance_path)
        url = "sqlite:///" + os.path.join(app.instance_path, "scratchpad.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if app.config["PRODUCTION"]:
        refuse_unsafe_production_settings(app)


class SettingError(ValueError):
    """A setting the site cannot run with; the message says which, and why."""


def refuse_negative_or_non_numbers(app, names):
    for name in names:
        value = app.config[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise SettingError(f"{name} must be a number, 0 or more; it is {value!r} "
                             f"(set as SCRATCHPAD_{name}).")


MIN_SECRET_KEY_BYTES = 32


def debug_flag_in_environment():
    """FLASK_DEBUG as the ``flask`` command reads it: on unless empty, 0, false or no.
    ``flask run --debug`` sets it after the app may have been made."""
    value = os.environ.get("FLASK_DEBUG", "")
    return bool(value) and value.lower() not in ("0", "false", "no")


class UnsafeProductionConfig(SettingError):
    """PRODUCTION is on together with a setting that would expose the site."""


def refuse_unsafe_production_settings(app):
    problems = []
    if app.debug or debug_flag_in_environment():
        problems.append("debug mode is on (FLASK_DEBUG, SCRATCHPAD_DEBUG or DEBUG); it shows "
                        "tracebacks and its debugger runs code sent by anyone, so turn it off")
    key = app.config["SECRET_KEY"]
    if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes; leave it unset "
                        "to use the generated instance/secret_key, or set a long random one")
    if problems:
        raise UnsafeProductionConfig("Scratchpad will not start in production: "
                                     + "; and ".join(problems) + ".")


DEFAULT_DRIVERS = {"mysql": "mysql+pymysql", "mariadb": "mysql+pymysql",
                   "postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def database_url(url):
    """Pick the tested driver for a bare ``mysql://`` or ``postgresql://`` URL,
    and make MySQL connections speak utf8mb4 so emoji survive."""
    parsed = make_url(url)
    if parsed.drivername in DEFAULT_DRIVERS:
        parsed = parsed.set(drivername=DEFAULT_DRIVERS[parsed.drivername])
    if parsed.get_backend_name() == "mysql" and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return parsed.render_as_string(hide_password=False)


def make_private_directory(path):
    """Create a directory readable by its owner only; one that exists is left as it is."""
    if not os.path.isdir(path):
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # the umask may have taken bits away, never added them


def create_private_sqlite_file(url):
    """Create a SQLite database file readable and writable by its owner only,
    before SQLite would create it with the umask's permissions (the password
    hashes are in it); SQLite gives its journal the same permissions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if parsed.database.startswith("file:") or os.path.exists(parsed.database):
        return
    if not os.path.isdir(os.path.dirname(os.path.abspath(parsed.database))):
        return  # SQLite will say it cannot open the file; folders are the operator's
    try:
        os.close(os.open(parsed.database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


def instance_secret_key(instance_path):
    """Read the key generated on first start, or generate it (mode 0600).

    The key is written whole to a private file and then linked into place, so
    several processes starting at once agree on one complete key."""
    make_private_directory(instance_path)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd, draft = tempfile.mkstemp(dir=instance_path, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as key_file:
                key_file.write(secrets.token_hex(32) + "\n")
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    with open(path) as key_file:
        return key_file.read().strip()
