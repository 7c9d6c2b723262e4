"""Title, author, date and lead image of a page, from its meta tags and JSON-LD.

Publishers fill these in for search engines and social cards, so they are more reliable
than anything guessed from the visible page; trafilatura's guesses are the fallback.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from dataclasses import dataclass
from typing import Any

from reader.text import clean_line

_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle",
                  "liveblogposting", "webpage", "report", "scholarlyarticle", "techarticle"}
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline")
_AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl", "citation_author")
_DATE_KEYS = ("article:published_time", "og:published_time", "parsely-pub-date",
              "sailthru.date", "datepublished", "dc.date.issued", "dcterms.date", "dc.date",
              "dcterms.created", "date", "pubdate", "publishdate", "publish-date",
              "article.published", "citation_publication_date", "og:updated_time",
              "article:modified_time")
_IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
               "twitter:image:src", "thumbnail")
_BY = re.compile(r"^\s*by\s+", re.I)
_SITE_SEPARATOR = re.compile(r"\s+[|\-–—·•:]{1,2}\s+")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    image: str | None = None


def parse_date(value: Any) -> dt.datetime | None:
    """An aware datetime for an ISO 8601, RFC 2822 or YYYYMMDD string; naive times are
    taken as UTC. None when the string is not a date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if match := _COMPACT_DATE.match(text):
        text = "-".join(match.groups())
    parsed: dt.datetime | None = None
    try:
        parsed = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text[:11]
                                           else text)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _meta_tags(root: Any) -> dict[str, str]:
    """First value of every <meta name|property|itemprop> in the page, keys lower-cased."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = el.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _json_ld(root: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object describing an article, outermost first."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(node)
            walk(node.get("@graph"))
            walk(node.get("mainEntity"))

    for el in root.iter("script"):
        if (el.get("type") or "").lower().strip() != "application/ld+json" or not el.text:
            continue
        try:
            walk(json.loads(el.text))
        except (ValueError, RecursionError):
            continue
    # A NewsArticle beats a WebPage when both are present.
    found.sort(key=lambda node: str(node.get("@type")).lower() == "webpage")
    return found


def _name(value: Any, people: bool = True) -> str | None:
    """The names in a JSON-LD author (string, object or list of either): people only, or
    with people=False organisations only."""
    if isinstance(value, list):
        names = [n for n in (_name(v, people) for v in value[:4]) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        is_org = "organization" in str(value.get("@type", "")).lower()
        value = value.get("name") if is_org != people else None
    elif not people:
        return None
    return value if isinstance(value, str) and value.strip() else None


def _image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None


def _author_text(value: str | None) -> str | None:
    """A by-line fit to show: no "By", no profile URLs, no controls."""
    if not value or value.lower().startswith(("http://", "https://")):
        return None
    return clean_line(_BY.sub("", value), 200) or None


def _without_site_name(title: str) -> str:
    """"Story headline | Site" -> "Story headline": the longest part between separators."""
    parts = [p.strip() for p in _SITE_SEPARATOR.split(title) if p.strip()]
    return max(parts, key=len) if parts else title


def page_meta(root: Any) -> PageMeta:
    """Metadata from an lxml tree of the whole page, as the publisher declared it."""
    tags = _meta_tags(root)
    ld = _json_ld(root)

    def first(keys: tuple[str, ...]) -> str | None:
        return next((tags[k] for k in keys if tags.get(k)), None)

    title = next((n["headline"] for n in ld if isinstance(n.get("headline"), str)), None)
    title = first(_TITLE_KEYS) or title
    if not title:
        heading = next(iter(root.iter("h1")), None)
        title = heading.text_content() if heading is not None else None
    if not title:
        title_el = next(iter(root.iter("title")), None)
        title = _without_site_name(title_el.text_content()) if title_el is not None else None

    author = next((a for a in (_author_text(_name(n.get("author"))) for n in ld) if a), None)
    author = author or _author_text(next(
        (tags[k] for k in _AUTHOR_KEYS if _author_text(tags.get(k))), None))
    # A newsroom credited as author is a last resort: a named reporter is more useful.
    author = author or next(
        (a for a in (_author_text(_name(n.get("author"), people=False)) for n in ld) if a), None)

    published = next((d for d in (parse_date(n.get("datePublished")) for n in ld) if d), None)
    if published is None:
        published = next((d for d in (parse_date(tags.get(k)) for k in _DATE_KEYS) if d), None)
    if published is None:
        stamp = next((t.get("datetime") for t in root.iter("time") if t.get("datetime")), None)
        published = parse_date(stamp)

    image = next((i for i in (_image(n.get("image")) for n in ld) if i), None)
    image = first(_IMAGE_KEYS) or image
    return PageMeta(clean_line(title, 300) or None, author, published, image)


def fill_from(meta: PageMeta, doc: Any) -> PageMeta:
    """`meta` with its gaps filled from trafilatura's Document (which guesses from the
    visible page, the URL and the text)."""
    if doc is None:
        return meta
    return PageMeta(
        meta.title or clean_line(getattr(doc, "title", None), 300) or None,
        meta.author or _author_text(getattr(doc, "author", None)),
        meta.published or parse_date(getattr(doc, "date", None)),
        meta.image or getattr(doc, "image", None),
    )
