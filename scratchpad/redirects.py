"""Where to send a user back to after logging in: only a path on this site."""
from urllib.parse import urlsplit


def safe_next_path(target, default="/"):
    if not target or not isinstance(target, str):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    # Browsers read a backslash as a slash, and drop tabs and newlines.
    if any(char == "\\" or ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
