"""Text answers compressed when the client accepts it (Flask-Compress), for
hosts with no proxy in front to do it, such as PythonAnywhere. With
COMPRESS_RESPONSES off, a proxy in front does it instead."""
from flask_compress import Compress

compress = Compress()


def init_app(app):
    if not app.config["COMPRESS_RESPONSES"]:
        return
    # Bootstrap's files are served by its own blueprint: their ETags hold too.
    app.config.setdefault("COMPRESS_STREAMING_ENDPOINT_CONDITIONAL",
                          ["static", "bootstrap.static"])
    compress.init_app(app)
