"""The pipeline: fetch feeds -> parse -> store -> fetch new stories' pages -> extract -> analyse.

`refresh` is a coroutine for an event loop of its own; `run_refresh` wraps it for a thread
(the TUI's worker, or the CLI). Feeds are fetched concurrently within the limits of the shared
Fetcher; extraction and analysis run in a process pool so they never starve the network work.
Every store write is one transaction, so an interrupted refresh leaves a consistent cache:
stories whose page was not fetched yet keep `page_state = PENDING` and the next run finishes them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Executor

from reader.config import Config
from reader.errors import FeedError, FetchError, ReaderError
from reader.models import FeedResult, ParsedEntry, RefreshProgress, RefreshSummary
from reader.net.types import UrlFetcher
from reader.store import Store

ProgressFn = Callable[[RefreshProgress], None]


class _Run:
    """Shared counters of one refresh, reported through the progress callback."""

    def __init__(self, total: int, progress: ProgressFn | None,
                 cancel: threading.Event | None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.new = 0
        self.progress = progress
        self.cancel = cancel or threading.Event()

    def report(self, current: str = "") -> None:
        if self.progress:
            self.progress(RefreshProgress(self.done, self.total, current, self.failed, self.new))


def entry_body(entry: ParsedEntry) -> str:
    """The Markdown kept for a story before (or instead of) its full page."""
    html = entry.content_html or entry.summary_html
    if not html:
        return ""
    from reader.content.article import html_to_markdown

    try:
        return html_to_markdown(html, entry.url)
    except Exception:
        return ""  # a broken summary must not lose the story itself


async def _refresh_feed(store: Store, fetcher: UrlFetcher, feed_id: int, url: str, title: str,
                        run: _Run, want_pages: bool) -> FeedResult:
    from reader.feeds.parse import parse_feed

    etag, modified = store.fetch_state(feed_id)
    try:
        result = await fetcher.fetch(url, etag=etag, last_modified=modified)
        if result.status == 304:
            store.record_unchanged(feed_id)
            return FeedResult(feed_id, url, title, "unchanged")
        parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        bodies = [entry_body(e) for e in parsed.entries]
        new_ids = store.store_entries(
            feed_id, parsed.entries, bodies, feed_title=parsed.title, site_url=parsed.link,
            etag=result.etag, last_modified=result.last_modified, want_pages=want_pages,
        )
        run.new += len(new_ids)
        return FeedResult(feed_id, url, parsed.title or title,
                          "new" if new_ids else "unchanged", new=len(new_ids))
    except ReaderError as exc:
        store.record_failure(feed_id, str(exc))
        run.failed += 1
        return FeedResult(feed_id, url, title, "failed", error=str(exc))


async def _fetch_page(store: Store, fetcher: UrlFetcher, pool: Executor, story_id: int, url: str,
                      analyse: bool) -> bool:
    from reader.pipeline.pool import extract_and_analyse

    try:
        result = await fetcher.fetch(url, accept="text/html,application/xhtml+xml")
    except FetchError as exc:
        store.store_page(story_id, markdown=None, error=f"Full text unavailable: {exc}")
        return False
    story = store.story(story_id)
    published = story.published if story else None
    loop = asyncio.get_running_loop()
    article, error, analysis = await loop.run_in_executor(
        pool, extract_and_analyse, result.body, result.url, published, analyse
    )
    if article is None:
        store.store_page(story_id, markdown=None, error=error)
        return False
    store.store_page(story_id, markdown=article.markdown, author=article.author,
                     image_url=article.image_url, published=article.published)
    if analysis is not None:
        store.store_analysis(story_id, *analysis)
    return True


async def refresh(
    store: Store, fetcher: UrlFetcher, *, feed_ids: list[int] | None = None,
    full_pages: bool = True, analyse: bool = True, progress: ProgressFn | None = None,
    cancel: threading.Event | None = None, pool: Executor | None = None,
) -> RefreshSummary:
    """Refresh the given feeds (all by default) and return what happened to each."""
    feeds = [f for f in store.feeds()
             if not f.is_page_list and f.url.startswith(("http://", "https://"))
             and (feed_ids is None or f.id in feed_ids)]
    run = _Run(len(feeds), progress, cancel)
    run.report()
    results: list[FeedResult] = []
    pages_ok = pages_failed = 0
    page_tasks: set[asyncio.Task[bool]] = set()
    own_pool = None
    if full_pages and pool is None:
        from reader.pipeline.pool import make_pool

        pool = own_pool = make_pool()

    started: set[int] = set()

    def start_pages(ids: list[int] | None) -> None:
        if not full_pages or pool is None:
            return
        for story_id, url, _ in store.pending_pages(ids):
            if story_id in started:
                continue
            started.add(story_id)
            run.total += 1
            page_tasks.add(asyncio.create_task(
                _fetch_page(store, fetcher, pool, story_id, url, analyse)))

    async def one_feed(fid: int, url: str, title: str, want: bool) -> None:
        if run.cancel.is_set():
            return
        result = await _refresh_feed(store, fetcher, fid, url, title, run, want)
        results.append(result)
        run.done += 1
        run.report(result.title)
        if want and result.new:
            start_pages([fid])

    try:
        start_pages(feed_ids)  # pages an interrupted earlier run left pending
        feed_tasks = [
            asyncio.create_task(one_feed(f.id, f.url, f.title, full_pages and f.full_text))
            for f in feeds
        ]
        cancel_watch = asyncio.create_task(_wait_cancel(run.cancel))
        pending: set[asyncio.Task] = set(feed_tasks)
        while pending or page_tasks:
            waiting = pending | page_tasks | {cancel_watch}
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is cancel_watch:
                    continue
                if task in page_tasks:
                    page_tasks.discard(task)
                    run.done += 1
                    if not task.cancelled() and task.exception() is None and task.result():
                        pages_ok += 1
                    else:
                        pages_failed += 1
                    run.report()
                else:
                    pending.discard(task)
                    if not task.cancelled() and (error := task.exception()) is not None:
                        raise error
            if cancel_watch.done():
                for task in pending | page_tasks:
                    task.cancel()
                await asyncio.gather(*pending, *page_tasks, return_exceptions=True)
                break
        cancel_watch.cancel()
        if analyse and not run.cancel.is_set() and full_pages:
            await analyse_pending(store, pool, cancel=run.cancel)
            await asyncio.to_thread(_update_index, store, run.cancel)
    finally:
        if own_pool is not None:
            own_pool.shutdown(wait=True, cancel_futures=True)
    return RefreshSummary(tuple(sorted(results, key=lambda r: (r.status != "failed", r.title))),
                          pages_ok, pages_failed, run.cancel.is_set())


async def _wait_cancel(event: threading.Event) -> None:
    while not event.is_set():
        await asyncio.sleep(0.05)


async def analyse_pending(store: Store, pool: Executor | None, *, batch: int = 50,
                          cancel: threading.Event | None = None,
                          progress: Callable[[int], None] | None = None) -> int:
    """Compute and store entities and timeline for every story that lacks them."""
    from reader.pipeline.pool import analyse_batch, make_pool

    own = pool is None
    pool = pool or make_pool()
    loop = asyncio.get_running_loop()
    count = 0
    seen: set[int] = set()
    try:
        while not (cancel and cancel.is_set()):
            items = [i for i in store.pending_analysis(batch) if i[0] not in seen]
            if not items:
                break
            seen.update(i[0] for i in items)
            for story_id, analysis in await loop.run_in_executor(pool, analyse_batch, items):
                store.store_analysis(story_id, *(analysis or ([], [])))
                count += 1
            if progress:
                progress(count)
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return count


def run_refresh(store: Store, config: Config, *, feed_ids: list[int] | None = None,
                full_pages: bool = True, analyse: bool = True,
                progress: ProgressFn | None = None,
                cancel: threading.Event | None = None) -> RefreshSummary:
    """Blocking refresh with its own event loop and HTTP client: for threads and the CLI."""
    from reader.net.client import Fetcher

    async def main() -> RefreshSummary:
        async with Fetcher(config.network) as fetcher:
            return await refresh(store, fetcher, feed_ids=feed_ids, full_pages=full_pages,
                                 analyse=analyse, progress=progress, cancel=cancel)

    return asyncio.run(main())


def _update_index(store: Store, cancel: threading.Event | None) -> int:
    """Fold newly analysed stories into the cross-story entity index and timeline."""
    from reader.index.build import update_index

    return update_index(store, cancel=cancel)


def run_analysis(store: Store, *, cancel: threading.Event | None = None,
                 progress: Callable[[int], None] | None = None) -> int:
    """Blocking: analyse every stored story still lacking entities and timeline, then index."""
    count = asyncio.run(analyse_pending(store, None, cancel=cancel, progress=progress))
    _update_index(store, cancel)
    return count


__all__ = ["FeedError", "analyse_pending", "refresh", "run_analysis", "run_refresh"]
