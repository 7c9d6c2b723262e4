"""CPU-heavy work that runs in a separate process: page extraction and text analysis.

Running it in a process keeps the refresh's event loop (and the TUI) responsive: the GIL
is never held for tens of milliseconds by trafilatura or the entity tagger.
Everything here takes and returns picklable plain data.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from reader.models import Article, Entity, TimelineFact

Analysis = tuple[list[Entity], list[TimelineFact]]


_tracker_lock = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr in place.

    A TUI replaces `sys.stderr` with an object whose `fileno()` is -1; multiprocessing passes
    that descriptor on when it starts the tracker and fails ("bad value(s) in fds_to_keep").
    Started once here, the tracker is reused by every later pool.
    """
    from multiprocessing import resource_tracker

    with _tracker_lock:
        saved = sys.stderr
        try:
            if sys.__stderr__ is not None:
                sys.stderr = sys.__stderr__
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _quiet_worker() -> None:
    """Worker processes share the terminal: a library's stray output must not reach it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def make_pool(workers: int | None = None, *, processes: bool = True) -> Executor:
    """A pool for extraction; `spawn` because forking a threaded process is unsafe."""
    if workers is None:
        workers = max(1, (os.cpu_count() or 2) - 1)
    if not processes:
        return ThreadPoolExecutor(workers, thread_name_prefix="warreader-cpu")
    _start_resource_tracker()
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_quiet_worker)


def analyse(text: str, published: dt.datetime | dt.date | None) -> Analysis:
    """Entities and timeline facts of a story's Markdown body; empty for an empty body."""
    if not text.strip():
        return [], []
    from reader.nlp import extract_entities, extract_timeline

    when = published or dt.datetime.now(dt.UTC)
    entities = extract_entities(text)
    return entities, extract_timeline(text, when, entities=entities)


def extract_and_analyse(
    html: bytes, url: str, published: dt.datetime | None, with_analysis: bool = True
) -> tuple[Article | None, str | None, Analysis | None]:
    """Extract a page's article and analyse it. Never raises: errors come back as text."""
    from reader.content.article import extract_article
    from reader.errors import ReaderError

    try:
        article = extract_article(html, url)
    except ReaderError as exc:
        return None, str(exc), None
    except Exception as exc:  # a library bug on hostile HTML must not end the refresh
        return None, f"The page could not be read ({type(exc).__name__}).", None
    if not article.markdown.strip():
        return None, "No article text was found on the page.", None
    analysis = None
    if with_analysis:
        try:
            analysis = analyse(article.markdown, published or article.published)
        except Exception:
            analysis = None  # stored stories are re-analysed later; never lose the article
    return article, None, analysis


def analyse_batch(
    items: list[tuple[int, str, dt.datetime | None]],
) -> list[tuple[int, Analysis | None]]:
    """Analyse several stories in one round trip to the worker process."""
    out: list[tuple[int, Analysis | None]] = []
    for story_id, text, published in items:
        try:
            out.append((story_id, analyse(text, published)))
        except Exception:
            out.append((story_id, None))
    return out
