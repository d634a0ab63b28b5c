"""Messages that both the web pages and the ``flask users`` commands give:
in the reader's language during a request, in English on the command line
(which has no reader, and whose output stays English)."""
from flask import has_request_context
from flask_babel import gettext as page_gettext


def gettext(text, **values):
    if has_request_context():
        return page_gettext(text, **values)
    return text % values if values else text
