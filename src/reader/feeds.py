"""Feed parsing: RSS 0.9x/1.0/2.0, Atom and JSON Feed into `ParsedFeed`, plus autodiscovery.

fastfeedparser (lxml) does the work; feedparser takes over when it fails or finds nothing,
since its loose mode reads documents lxml cannot recover. Before either sees a document we
decode it ourselves (BOM, XML declaration, HTTP charset, in that order), remove terminal
escape sequences and control characters, and remove any DOCTYPE, so that no parser ever
expands entities a feed declares ("billion laughs"). HTML named entities such as `&eacute;`,
which such DOCTYPEs usually exist for, are turned into character references first.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import email.utils
import hashlib
import html
import html.entities
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import fastfeedparser
import feedparser

from reader.errors import FeedError
from reader.models import ParsedEntry, ParsedFeed
from reader.text import clean_line, strip_controls

__all__ = ["clean_document", "decode_document", "discover_feeds", "export_opml",
           "looks_like_feed", "parse_feed", "parse_opml", "remove_doctypes"]

NOT_A_FEED_HTML = "This address does not serve a feed (it looks like an HTML page)."
NOT_A_FEED = "This address does not serve a feed (it is not RSS, Atom or JSON Feed)."
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/rdf+xml")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECLARED = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_FIRST_TAG = re.compile(r"<\s*([A-Za-z][\w.:-]*)")
NAMED_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
# A bare "&" (as in "AT&T") that is not the start of a reference; lxml's recovery drops it.
_BARE_AMP = re.compile(r"&(?!#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][\w.-]{0,31};)")
_ITEM_TAG = re.compile(r"<(?:\w+:)?(?:item|entry)[\s>]", re.IGNORECASE)
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_CHAR_REF = re.compile(r"&#([0-9]{1,8}|[xX][0-9a-fA-F]{1,8});")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    text = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    try:
        return codecs.lookup(text.strip()).name
    except LookupError:
        return None


def decode_document(body: bytes, charset: str | None = None) -> str:
    """The text of a document: BOM first, then the XML declaration, then the HTTP charset."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    if body.startswith(b"<\x00?\x00"):
        return body.decode("utf-16-le", errors="replace")
    if body.startswith(b"\x00<\x00?"):
        return body.decode("utf-16-be", errors="replace")
    declared = _DECLARED.match(body)
    candidates = [_codec(declared.group(1) if declared else None), _codec(charset), "utf-8"]
    for name in dict.fromkeys(c for c in candidates if c):
        if name.startswith(("utf-16", "utf-32")):
            continue  # declared without a BOM on an ASCII-compatible document: a lie
        try:
            return body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("windows-1252", errors="replace")


def _control_ref(match: re.Match[str]) -> str:
    ref = match.group(1)
    try:
        code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
    except ValueError:
        return match.group(0)
    if (code < 32 and code not in (9, 10, 13)) or 0x7F <= code <= 0x9F:
        return chr(code)
    return match.group(0)


def clean_document(text: str) -> str:
    """`text` without terminal escape sequences or control characters, even as &#27; refs.

    Control-character references become the characters first, so that strip_controls removes
    a whole escape sequence ("&#27;[2J") and not only its first byte; XML forbids most of
    them anyway, and lxml's recovery mangles the text around one.
    """
    text = _CHAR_REF.sub(_control_ref, text)
    return strip_controls(text).lstrip("\ufeff \t\r\n")


def remove_doctypes(text: str) -> str:
    """`text` without any <!DOCTYPE ...> declaration, internal subset included."""
    lower = text.lower()
    start = lower.find("<!doctype")
    if start < 0:
        return text
    out: list[str] = []
    pos = 0
    while start >= 0:
        out.append(text[pos:start])
        quote, depth, i = "", 0, start + 9
        while i < len(text):
            ch = text[i]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            elif ch == ">" and depth <= 0:
                break
            i += 1
        else:
            raise FeedError("The feed's DOCTYPE declaration is never closed; it cannot be read.")
        pos = i + 1
        start = lower.find("<!doctype", pos)
    out.append(text[pos:])
    return "".join(out)


def html_entity_to_ref(match: re.Match[str]) -> str:
    """An HTML named entity as a character reference; an unknown one as literal text."""
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    if name in html.entities.name2codepoint:
        return f"&#{html.entities.name2codepoint[name]};"
    return f"&amp;{name};"  # undefined once the DOCTYPE is gone; lxml would cut the text there


def _first_element(text: str) -> str:
    """Lowercase name of the first element, skipping declarations, comments and PIs."""
    pos = 0
    while True:
        match = _FIRST_TAG.search(text, pos)
        if match is None:
            return ""
        before = text.rfind("<!--", 0, match.start())
        if before >= 0 and text.find("-->", before) > match.start():
            pos = text.find("-->", before) + 3
            continue
        return match.group(1).lower()


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """A quick guess from the media type and the first bytes; parse_feed has the last word."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in FEED_TYPES:
        return True
    head = decode_document(body[:2048]).lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return "jsonfeed.org/version" in head
    with contextlib.suppress(FeedError):  # a DOCTYPE longer than the sniffed head stays
        head = remove_doctypes(head)
    return _first_element(head) in ("rss", "feed", "rdf:rdf", "rdf", "channel")


def parse_feed(body: bytes, *, url: str | None = None,
               content_type: str | None = None) -> ParsedFeed:
    """The feed in `body`. Raises FeedError (with a message for the reader) and nothing else."""
    try:
        return _parse(body, url, content_type)
    except FeedError:
        raise
    except Exception as exc:  # a parser bug must not take the refresh down with it
        raise FeedError(f"The feed could not be read ({type(exc).__name__}).") from None


def _parse(body: bytes, url: str | None, content_type: str | None) -> ParsedFeed:
    if not body.strip():
        raise FeedError("The server sent an empty document instead of a feed.")
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    text = clean_document(decode_document(body, charset))
    if text.startswith("{"):
        return _parse_json(text, url)
    text = remove_doctypes(text)
    root = _first_element(text)
    if root in ("html", "head", "body"):
        raise FeedError(NOT_A_FEED_HTML)
    text = NAMED_ENTITY.sub(html_entity_to_ref, _XML_DECL.sub("", text, count=1))
    text = _BARE_AMP.sub("&amp;", text)
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("utf-8")
    try:
        fast = fastfeedparser.parse(data)  # bytes, never str: a str URL would be fetched
        feed = _from_parsed(fast, url, "fast")
        if feed.entries or (feed.title and not _ITEM_TAG.search(text)):
            return feed
    except Exception:  # whatever lxml could not take, feedparser's loose mode may
        pass
    slow = feedparser.parse(data, response_headers={"content-type": "application/xml"})
    feed = _from_parsed(slow, url, "feedparser")
    if feed.entries or (feed.title and slow.get("version")):
        return feed
    if root not in ("rss", "feed", "rdf:rdf", "rdf", "channel"):
        raise FeedError(NOT_A_FEED)
    problem = clean_line(str(slow.get("bozo_exception") or "no items"), 120)
    raise FeedError(f"The feed is broken and could not be read ({problem}).")


def _text(value: Any, limit: int = 500) -> str:
    """Display text from a possibly HTML string: tags removed, entities decoded, one line."""
    if not isinstance(value, str):
        return ""
    if "<" in value or "&" in value:
        value = html.unescape(_TAG.sub(" ", value))
    return clean_line(value, limit)


def _date(value: Any) -> dt.datetime | None:
    """A UTC datetime from an ISO/RFC 822 string or a UTC struct_time; None when unreadable."""
    try:
        if isinstance(value, str):
            value = value.strip()
            try:
                when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                when = email.utils.parsedate_to_datetime(value)
        elif value is not None and len(value) >= 6:
            year, month, day, hour, minute, second = (int(v) for v in value[:6])
            when = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        else:
            return None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _link(value: Any, base: str | None) -> str | None:
    """An absolute http(s) URL, or None for anything else (javascript:, file:, junk)."""
    if not isinstance(value, str) or not value.strip():
        return None
    link = strip_controls(value).strip()
    if base:
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    return link if parts.scheme in ("http", "https") and parts.netloc else None


def _guid(raw: Any, link: str | None, title: str, published: dt.datetime | None) -> str:
    if isinstance(raw, (str, int)) and str(raw).strip():
        return clean_line(str(raw), 1000)
    if link:
        return link
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode()).hexdigest()


def _html(value: Any) -> str | None:
    return strip_controls(value) if isinstance(value, str) and value.strip() else None


def _entry_link(entry: Any) -> Any:
    if entry.get("link"):
        return entry.get("link")
    for link in entry.get("links") or ():
        if isinstance(link, dict) and link.get("href") and link.get("rel") in (None, "alternate"):
            return link["href"]
    return None


def _make_entry(*, raw_id: Any, link: Any, title: Any, summary: Any, content: Any,
                published: Any, author: Any, base: str | None) -> ParsedEntry:
    url = _link(link, base)
    summary_html, content_html = _html(summary), _html(content)
    text = _text(title) or _text(summary_html or content_html, 120) or "Untitled"
    when = _date(published)
    return ParsedEntry(
        guid=_guid(raw_id, url, text, when), title=text, url=url, published=when,
        author=_text(author, 200) or None, summary_html=summary_html,
        content_html=content_html if content_html != summary_html else None,
    )


def _from_parsed(result: Any, url: str | None, parser: str) -> ParsedFeed:
    """A ParsedFeed from fastfeedparser's or feedparser's (feedparser-shaped) result."""
    head = result.get("feed") or {}
    base = _link(head.get("link"), url) or url
    entries: dict[str, ParsedEntry] = {}
    for item in result.get("entries") or ():
        contents = item.get("content") or ()
        content = contents[0].get("value") if contents and isinstance(contents[0], dict) else None
        if parser == "fast":
            summary, published = item.get("description"), item.get("published")
            published = published or item.get("updated")
        else:
            summary = item.get("summary")
            published = item.get("published_parsed") or item.get("updated_parsed")
        entry = _make_entry(raw_id=item.get("id"), link=_entry_link(item), title=item.get("title"),
                            summary=summary, content=content, published=published,
                            author=item.get("author"), base=base)
        entries.setdefault(entry.guid, entry)  # repeated ids: the first one wins
    return ParsedFeed(title=_text(head.get("title")), link=_link(head.get("link"), url),
                      entries=tuple(entries.values()), parser=parser)


def _parse_json(text: str, url: str | None) -> ParsedFeed:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise FeedError("This address serves broken JSON, not a feed.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FeedError("This address serves JSON, but not a JSON Feed.")
    base = _link(doc.get("home_page_url"), url) or url
    entries: dict[str, ParsedEntry] = {}
    for item in doc["items"]:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or [item.get("author")]
        first = authors[0] if isinstance(authors, list) and authors else None
        content = item.get("content_html")
        if not isinstance(content, str) and isinstance(item.get("content_text"), str):
            content = "<p>" + html.escape(item["content_text"]) + "</p>"
        entry = _make_entry(
            raw_id=item.get("id"), link=item.get("url") or item.get("external_url"),
            title=item.get("title"), summary=item.get("summary"), content=content,
            published=item.get("date_published") or item.get("date_modified"),
            author=first.get("name") if isinstance(first, dict) else None, base=base)
        entries.setdefault(entry.guid, entry)
    return ParsedFeed(title=_text(doc.get("title")), link=_link(doc.get("home_page_url"), url),
                      entries=tuple(entries.values()), parser="json")


class _LinkFinder(HTMLParser):
    KINDS = ("application/rss+xml", "application/atom+xml", "application/feed+json",
             "application/json", "application/rdf+xml")

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base_url
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"].strip())
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            kind = values.get("type", "").split(";")[0].strip().lower()
            if "alternate" in rels and kind in self.KINDS and values.get("href"):
                link = _link(values["href"], self.base)
                if link and link not in self.found:
                    self.found.append(link)


def discover_feeds(html_doc: str | bytes, base_url: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type=...>, absolute, in page order."""
    if isinstance(html_doc, bytes):
        html_doc = html_doc.decode("utf-8", errors="replace")
    finder = _LinkFinder(base_url)
    finder.feed(html_doc)
    finder.close()
    return finder.found


def parse_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(xmlUrl, title) for each feed in an OPML document; see reader.opml.parse_opml."""
    from reader import opml  # reader.opml builds on this module's helpers

    return opml.parse_opml(data)


def export_opml(feeds: list[tuple[str, str]]) -> str:
    """An OPML 2.0 document for (url, title) pairs; see reader.opml.export_opml."""
    from reader import opml

    return opml.export_opml(feeds)
