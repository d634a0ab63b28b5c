"""Reading forms strictly: a form a browser would not send is refused with a
4xx and a reason, instead of being half-understood."""
from urllib.parse import parse_qsl

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.formparser import FormDataParser

NOT_UTF8 = _l("The form could not be read: it was not sent as UTF-8 text.")
REPEATED_FIELD = _l("The form could not be read: it had the field %(name)s more than once.")
NUL_CHARACTER = _l("The form could not be read: it had a NUL character in it.")
NOT_URLENCODED = _l("The form could not be read: the site's forms are sent as "
                    "application/x-www-form-urlencoded.")


class StrictFormDataParser(FormDataParser):
    """Werkzeug keeps bytes of a form field that are not UTF-8 as %XX text
    (or replaces them, in multipart bodies), and takes the first of repeated
    fields; a NUL character cannot be typed and PostgreSQL refuses to store
    one. The site's forms send none of these, and nothing is uploaded, so
    such a form is refused rather than half-understood.

    Overrides only ``parse``, the parser's public entry point; the stream it
    is given is already limited to MAX_CONTENT_LENGTH."""

    def parse(self, stream, mimetype, content_length, options=None):
        if mimetype == "multipart/form-data":
            raise UnsupportedMediaType(str(NOT_URLENCODED))
        if mimetype != "application/x-www-form-urlencoded":
            return super().parse(stream, mimetype, content_length, options)
        try:
            items = parse_qsl(stream.read().decode(), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise BadRequest(str(NOT_UTF8)) from None
        names = set()
        for name, value in items:
            if name in names:
                raise BadRequest(REPEATED_FIELD % {"name": repr(name[:50])})
            if "\x00" in name or "\x00" in value:
                raise BadRequest(str(NUL_CHARACTER))
            names.add(name)
        return stream, self.cls(items), self.cls()


class StrictFormRequest(Request):
    form_data_parser_class = StrictFormDataParser
