"""Adding what the user gives us: a feed URL, a web page (autodiscovered to its feed, or kept
as a single story), or an OPML file of subscriptions."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from reader.config import Config, Limits
from reader.errors import FeedError, FetchError, ReaderError
from reader.models import ParsedEntry
from reader.net.types import UrlFetcher
from reader.net.urls import web_address
from reader.store import PAGES_FEED_URL, Store
from reader.text import clean_line, counted


async def add_url_async(store: Store, fetcher: UrlFetcher, url: str,
                        limits: Limits | None = None) -> tuple[str, int | None]:
    """Subscribe to a feed, or to the feed a page names, or keep the page as a story.

    Returns a message for the reader and the id of the feed the result went to.
    """
    from reader.feeds.discover import discover_feeds, looks_like_feed
    from reader.feeds.parse import parse_feed

    url = web_address(url)
    existing = store.feed_by_url(url)
    if existing:
        return f"Already subscribed to {existing.title}.", existing.id
    result = await fetcher.fetch(url)
    if looks_like_feed(result.body, result.content_type):
        parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        feed = store.add_feed(url, parsed.title)
        return (f"Subscribed to {feed.title} "
                f"({counted(len(parsed.entries), 'story', 'stories')}).", feed.id)
    for candidate in discover_feeds(result.body, result.url)[:3]:
        try:
            found = await fetcher.fetch(candidate)
            parsed = parse_feed(found.body, url=found.url, content_type=found.content_type)
        except (FetchError, FeedError):
            continue
        if (known := store.feed_by_url(candidate)) is not None:
            return "Already subscribed to this site's feed.", known.id
        feed = store.add_feed(candidate, parsed.title)
        return f"Found the site's feed: subscribed to {feed.title}.", feed.id
    return await _add_page(store, result.body, result.url, limits or Limits())


async def _add_page(store: Store, body: bytes, url: str,
                    limits: Limits) -> tuple[str, int | None]:
    from reader.pipeline.pool import LimitError, Pool, extract_and_analyse

    async with Pool(1, cpu_seconds=limits.page_seconds, memory_mb=limits.page_memory_mb) as pool:
        try:
            article, error, analysis = await pool.run(extract_and_analyse, body, url, None)
        except LimitError as exc:
            raise FeedError(
                f"This page has no feed, and its text could not be read: {exc}.") from None
    if article is None:
        raise FeedError(f"This page has no feed and no article text: {error}")
    pages = store.add_feed(PAGES_FEED_URL, "Saved pages", full_text=False, is_page_list=True)
    guid = "page:" + hashlib.sha256(url.encode()).hexdigest()[:32]
    entry = ParsedEntry(guid=guid, title=article.title or url, url=url,
                        published=article.published, author=article.author)
    new = store.store_entries(pages.id, [entry], [article.markdown], feed_title="Saved pages")
    if not new:
        return "This page is already saved.", pages.id
    store.store_page(new[0], markdown=article.markdown, author=article.author,
                     image_url=article.image_url, published=article.published)
    if analysis is not None:  # otherwise the backlog analyses it later
        store.store_analysis(new[0], *analysis)
    return f"Saved the page \u201c{clean_line(article.title or url, 80)}\u201d.", pages.id


def add_url(store: Store, config: Config, url: str) -> tuple[str, int | None]:
    """Blocking add_url_async with its own client; raises ReaderError with a clear message."""
    from reader.net.client import Fetcher

    async def main() -> tuple[str, int | None]:
        async with Fetcher(config.network) as fetcher:
            return await add_url_async(store, fetcher, url, config.limits)

    return asyncio.run(main())


def import_opml(store: Store, path: Path) -> tuple[int, int]:
    """Subscribe to every feed in an OPML file: (added, already there)."""
    from reader.feeds.opml import parse_opml

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"Could not read {path}: {exc.strerror}.") from None
    added = existing = 0
    for url, title in parse_opml(data):
        try:
            url = web_address(url)
        except FetchError:
            continue
        if store.feed_by_url(url):
            existing += 1
        else:
            store.add_feed(url, title)
            added += 1
    return added, existing


def export_opml(store: Store) -> str:
    from reader.feeds.opml import export_opml as to_opml

    return to_opml([(f.url, f.title) for f in store.feeds() if not f.is_page_list
                    and f.url.startswith(("http://", "https://"))])
