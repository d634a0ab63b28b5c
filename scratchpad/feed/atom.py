"""An Atom 1.0 document (RFC 4287), written with ElementTree: the feed's own
elements, then its entries. Every text is made fit for XML 1.0 first."""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

NAMESPACE = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"

# What XML 1.0 allows nowhere in a document, not even escaped: the control
# characters other than tab, line feed and carriage return, lone surrogates,
# U+FFFE and U+FFFF. A comment's text may hold them; they become U+FFFD.
NOT_XML_CHARACTERS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT_CHARACTER = "\ufffd"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    author: str
    published: datetime | None  # None: not known
    updated: datetime
    content: str
    content_type: str  # "html" (markup to show) or "text" (shown as it is)
    link: str  # the page the entry is on


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    updated: datetime
    self_link: str  # the feed's own address
    page_link: str  # the web page it follows
    entries: list[Entry]


def xml_text(text):
    return NOT_XML_CHARACTERS.sub(REPLACEMENT_CHARACTER, text)


def atom_date(moment):
    """A naive UTC time as RFC 3339, as Atom wants it: 2017-09-01T17:44:00Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add(parent, name, text=None, **attributes):
    element = ET.SubElement(parent, name,
                            {key: xml_text(value) for key, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def add_entry(feed_element, entry):
    element = add(feed_element, "entry")
    add(element, "id", entry.id)
    add(element, "title", entry.title, type="text")
    add(add(element, "author"), "name", entry.author)
    if entry.published is not None:
        add(element, "published", atom_date(entry.published))
    add(element, "updated", atom_date(entry.updated))
    add(element, "link", rel="alternate", type="text/html", href=entry.link)
    add(element, "content", entry.content, type=entry.content_type)


def document(feed):
    """The feed as UTF-8 bytes, with the XML declaration."""
    # Plain names in the namespace the root declares: ElementTree makes a
    # namespace the default one only through a registry shared by the whole
    # process, or for documents whose attributes are all qualified too.
    root = ET.Element("feed", xmlns=NAMESPACE)
    add(root, "id", feed.id)
    add(root, "title", feed.title, type="text")
    add(root, "updated", atom_date(feed.updated))
    add(root, "link", rel="self", type="application/atom+xml", href=feed.self_link)
    add(root, "link", rel="alternate", type="text/html", href=feed.page_link)
    for entry in feed.entries:
        add_entry(root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
