"""Where to send a user back to after logging in: only a path on this site."""
from urllib.parse import unquote, urlsplit


def safe_next_path(target, default="/"):
    """``target`` when it is a path on this site, otherwise ``default``.

    The percent-decoded form must pass too: ``/%5Cevil.example`` is harmless to
    a browser, but not to anything that decodes it once more on the way."""
    if not isinstance(target, str):
        return default
    if is_local_path(target) and is_local_path(unquote(target)):
        return target
    return default


def is_local_path(target):
    if not target.startswith("/") or target.startswith("//"):
        return False
    # Browsers read a backslash as a slash, and drop tabs and newlines, so
    # "/\evil.example" and "/\t/evil.example" both lead to another host.
    if any(char == "\\" or ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
