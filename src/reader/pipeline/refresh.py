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
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from reader.config import Config, Limits
from reader.errors import FeedError, FetchError, ReaderError, StoreError
from reader.models import FeedResult, ParsedEntry, RefreshProgress, RefreshSummary
from reader.net.types import UrlFetcher
from reader.store import Store

if TYPE_CHECKING:
    from reader.pipeline.pool import Pool

ProgressFn = Callable[[RefreshProgress], None]
T = TypeVar("T")


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


def newest(entries: list[ParsedEntry], cap: int) -> list[ParsedEntry]:
    """The `cap` newest entries, newest first; undated ones after, in the feed's order."""
    order = sorted(range(len(entries)), key=lambda i: (
        entries[i].published is None,
        -(entries[i].published.timestamp() if entries[i].published else 0), i))  # type: ignore[union-attr]
    return [entries[i] for i in order[:max(cap, 0)]]


async def _refresh_feed(store: Store, fetcher: UrlFetcher, feed_id: int, url: str, title: str,
                        run: _Run, want_pages: bool, cap: int) -> FeedResult:
    from reader.feeds.parse import parse_feed

    etag, modified = store.fetch_state(feed_id)
    try:
        result = await fetcher.fetch(url, etag=etag, last_modified=modified)
        if result.status == 304:
            store.record_unchanged(feed_id)
            return FeedResult(feed_id, url, title, "unchanged")
        parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        entries = newest(list(parsed.entries), cap)
        bodies = [entry_body(e) for e in entries]
        new_ids = store.store_entries(
            feed_id, entries, bodies, feed_title=parsed.title, site_url=parsed.link,
            etag=result.etag, last_modified=result.last_modified, want_pages=want_pages,
        )
        run.new += len(new_ids)
        return FeedResult(feed_id, url, parsed.title or title,
                          "new" if new_ids else "unchanged", new=len(new_ids))
    except ReaderError as exc:
        store.record_failure(feed_id, str(exc))
        run.failed += 1
        return FeedResult(feed_id, url, title, "failed", error=str(exc))


async def _fetch_page(store: Store, fetcher: UrlFetcher, pool: Pool, story_id: int, url: str,
                      analyse: bool) -> bool:
    from reader.pipeline.pool import LimitError, extract_and_analyse

    try:
        result = await fetcher.fetch(url, accept="text/html,application/xhtml+xml")
    except FetchError as exc:
        later = " It will be tried again later." if exc.transient else ""
        store.store_page(story_id, markdown=None, error=f"Full text unavailable: {exc}{later}",
                         retry=exc.transient)
        return False
    story = store.story(story_id)
    published = story.published if story else None
    try:
        article, error, analysis = await pool.run(
            extract_and_analyse, result.body, result.url, published, analyse)
    except LimitError as exc:
        store.store_page(story_id, markdown=None,
                         error=f"Full text not read: {exc}. The feed's text is shown.")
        return False
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
    cancel: threading.Event | None = None, pool: Pool | None = None,
    limits: Limits | None = None,
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
    limits = limits or Limits()
    own_pool = None
    if full_pages and pool is None:
        from reader.pipeline.pool import Pool

        pool = own_pool = Pool(cpu_seconds=limits.page_seconds,
                               memory_mb=limits.page_memory_mb)

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
        result = await _refresh_feed(store, fetcher, fid, url, title, run, want,
                                     limits.items_per_feed)
        results.append(result)
        run.done += 1
        run.report(result.title)
        if want and result.new:
            start_pages([fid])

    pending: set[asyncio.Task] = set()
    try:
        start_pages(feed_ids)  # pages an interrupted earlier run left pending
        pending.update(
            asyncio.create_task(one_feed(f.id, f.url, f.title, full_pages and f.full_text))
            for f in feeds
        )
        cancel_watch = asyncio.create_task(_wait_cancel(run.cancel))
        while pending or page_tasks:
            waiting = pending | page_tasks | {cancel_watch}
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is cancel_watch:
                    continue
                if task in page_tasks:
                    page_tasks.discard(task)
                    if not task.cancelled() and isinstance(task.exception(), StoreError):
                        raise task.exception()  # type: ignore[misc]  # disk full: stop here
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
    except BaseException:
        run.cancel.set()  # interrupted (Ctrl-C) or the disk is full: stop everything
        for task in pending | page_tasks:
            task.cancel()
        await asyncio.gather(*pending, *page_tasks, return_exceptions=True)
        raise
    finally:
        if own_pool is not None:
            own_pool.close()
    return RefreshSummary(tuple(sorted(results, key=lambda r: (r.status != "failed", r.title))),
                          pages_ok, pages_failed, run.cancel.is_set())


async def _wait_cancel(event: threading.Event) -> None:
    while not event.is_set():
        await asyncio.sleep(0.05)


async def _unless_cancelled(work: Coroutine[Any, Any, T], cancel: threading.Event | None) -> T:
    """Await `work`, cancelling it (and so killing its worker) as soon as `cancel` is set."""
    if cancel is None:
        return await work
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_wait_cancel(cancel))
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watch.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    return task.result()  # CancelledError if it was cancelled


async def analyse_pending(store: Store, pool: Pool | None, *, batch: int = 50,
                          cancel: threading.Event | None = None,
                          progress: Callable[[int], None] | None = None,
                          limits: Limits | None = None) -> int:
    """Compute and store entities and timeline for every story that lacks them.

    A batch that goes over its limits is analysed again one story at a time, so one hostile
    story is stored without entities and the others keep theirs.
    """
    from reader.pipeline.pool import LimitError, Pool, analyse_batch

    own = pool is None
    if pool is None:
        limits = limits or Limits()
        pool = Pool(cpu_seconds=limits.page_seconds, memory_mb=limits.page_memory_mb)
    count = 0
    seen: set[int] = set()
    try:
        while not (cancel and cancel.is_set()):
            items = [i for i in store.pending_analysis(batch) if i[0] not in seen]
            if not items:
                break
            seen.update(i[0] for i in items)
            try:
                answers = await _unless_cancelled(
                    pool.run(analyse_batch, items, scale=len(items)), cancel)
            except asyncio.CancelledError:
                if cancel and cancel.is_set():
                    break
                raise
            except LimitError:
                answers = []
                for item in items:
                    try:
                        answers += await pool.run(analyse_batch, [item])
                    except LimitError:
                        answers.append((item[0], None))
            for story_id, analysis in answers:
                store.store_analysis(story_id, *(analysis or ([], [])))
                count += 1
            if progress:
                progress(count)
    finally:
        if own:
            pool.close()
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
                                 analyse=analyse, progress=progress, cancel=cancel,
                                 limits=config.limits)

    return asyncio.run(main())


def _update_index(store: Store, cancel: threading.Event | None) -> int:
    """Fold newly analysed stories into the cross-story entity index and timeline."""
    from reader.index.build import update_index

    return update_index(store, cancel=cancel)


def run_analysis(store: Store, *, cancel: threading.Event | None = None,
                 progress: Callable[[int], None] | None = None,
                 limits: Limits | None = None) -> int:
    """Blocking: analyse every stored story still lacking entities and timeline, then index."""
    count = asyncio.run(analyse_pending(store, None, cancel=cancel, progress=progress,
                                        limits=limits))
    _update_index(store, cancel)
    return count


__all__ = ["FeedError", "analyse_pending", "refresh", "run_analysis", "run_refresh"]
