"""Feed parsing: RSS 0.9x/1.0/2.0, Atom and JSON Feed into `ParsedFeed`.

fastfeedparser (lxml) does the work; feedparser takes over when it fails or finds nothing,
since its loose mode reads documents lxml cannot recover. Neither sees a document before
reader.feeds.xmlsafe has decoded it and removed escapes, control characters and DOCTYPEs.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import html.entities
import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import fastfeedparser
import feedparser

from reader.errors import FeedError
from reader.feeds.xmlsafe import (
    NAMED_ENTITY,
    clean_document,
    decode_document,
    first_element,
    html_entity_to_ref,
    remove_doctypes,
)
from reader.models import ParsedEntry, ParsedFeed
from reader.text import clean_line, strip_controls

__all__ = ["NOT_A_FEED", "NOT_A_FEED_HTML", "parse_feed"]

NOT_A_FEED_HTML = "This address does not serve a feed (it looks like an HTML page)."
NOT_A_FEED = "This address does not serve a feed (it is not RSS, Atom or JSON Feed)."
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# A bare "&" (as in "AT&T") that is not the start of a reference; lxml's recovery drops it.
_BARE_AMP = re.compile(r"&(?!#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][\w.-]{0,31};)")
_ITEM_TAG = re.compile(r"<(?:\w+:)?(?:item|entry)[\s>]", re.IGNORECASE)
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")


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
    root = first_element(text)
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


def absolute_link(value: Any, base: str | None) -> str | None:
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
    url = absolute_link(link, base)
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
    base = absolute_link(head.get("link"), url) or url
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
    return ParsedFeed(title=_text(head.get("title")), link=absolute_link(head.get("link"), url),
                      entries=tuple(entries.values()), parser=parser)


def _parse_json(text: str, url: str | None) -> ParsedFeed:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise FeedError("This address serves broken JSON, not a feed.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FeedError("This address serves JSON, but not a JSON Feed.")
    base = absolute_link(doc.get("home_page_url"), url) or url
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
    home = absolute_link(doc.get("home_page_url"), url)
    return ParsedFeed(title=_text(doc.get("title")), link=home,
                      entries=tuple(entries.values()), parser="json")
