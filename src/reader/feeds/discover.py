"""Finding feeds: the feeds a web page announces, and a quick guess whether a body is a feed."""

from __future__ import annotations

import contextlib
from html.parser import HTMLParser
from urllib.parse import urljoin

from reader.errors import FeedError
from reader.feeds.parse import absolute_link
from reader.feeds.xmlsafe import decode_document, first_element, remove_doctypes

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/rdf+xml")


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
    return first_element(head) in ("rss", "feed", "rdf:rdf", "rdf", "channel")


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
                link = absolute_link(values["href"], self.base)
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
