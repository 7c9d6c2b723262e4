"""OPML subscription lists: reading (any version, nested folders flattened) and writing 2.0."""

from __future__ import annotations

import datetime as dt
import email.utils
from xml.sax.saxutils import quoteattr

from lxml import etree

from reader.errors import FeedError
from reader.feeds.xmlsafe import (
    NAMED_ENTITY,
    clean_document,
    decode_document,
    html_entity_to_ref,
    remove_doctypes,
)
from reader.text import clean_line, strip_controls

# No entity expansion, no network, no DTD: the DOCTYPE is removed before parsing anyway.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          recover=True, huge_tree=False)


def parse_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(xmlUrl, title) for every feed outline, in document order, duplicates removed.

    Raises FeedError when `data` is not OPML.
    """
    text = clean_document(decode_document(data))
    text = NAMED_ENTITY.sub(html_entity_to_ref, remove_doctypes(text))
    if text.startswith("<?xml"):
        text = text[text.find("?>") + 2:]  # the declared encoding no longer applies
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise FeedError("This file is not an OPML subscription list.")
    found: dict[str, str | None] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url.lower().startswith(("http://", "https://")) or url in found:
            continue
        title = clean_line(outline.get("title") or outline.get("text") or "") or None
        found[url] = title
    return list(found.items())


def export_opml(feeds: list[tuple[str, str]], title: str = "warreader subscriptions") -> str:
    """An OPML 2.0 document listing `feeds` as (url, title) pairs."""
    now = email.utils.format_datetime(dt.datetime.now(dt.UTC))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_escape(title)}</title>",
        f"    <dateCreated>{now}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for url, name in feeds:
        name = clean_line(name) or url
        lines.append(f'    <outline type="rss" text={_attr(name)} title={_attr(name)}'
                     f" xmlUrl={_attr(url)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _attr(value: str) -> str:
    # quoteattr escapes &, <, > and quotes; newlines and tabs would be normalised away by a
    # reader, so they are written as character references.
    return quoteattr(strip_controls(value), {"\n": "&#10;", "\t": "&#9;", "\r": "&#13;"})


def _escape(value: str) -> str:
    return (clean_line(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
