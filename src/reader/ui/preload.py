"""The first screen's data, read from SQLite while Textual is still being imported.

Importing Textual takes most of start-up. SQLite releases the GIL while it works, so a thread
started before that import has the feed list, the counts and the first page of stories ready
by the time the main screen mounts, and the first frame already shows them. This module must
not import Textual: it runs first.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass

from reader.models import Feed, Story
from reader.store import Store
from reader.ui.sources import StoreSource

PAGE = 100  # the story list's page size (kept equal to widgets.story_list.PAGE by a test)


@dataclass(frozen=True)
class FirstScreen:
    source: StoreSource
    feeds: list[Feed]
    unread: int
    starred: int
    total: int
    pages: dict[int, list[Story]]


def read_first_screen(store: Store) -> FirstScreen:
    source = StoreSource(store)
    return FirstScreen(source, store.feeds(), store.count_stories(unread=True),
                       store.count_stories(starred=True), source.count(),
                       {0: source.page(0, PAGE)})


def start(store: Store) -> Future[FirstScreen]:
    """Read the first screen in a daemon thread; the future holds it or the error."""
    future: Future[FirstScreen] = Future()

    def run() -> None:
        try:
            future.set_result(read_first_screen(store))
        except BaseException as exc:  # the app falls back to loading in a worker
            future.set_exception(exc)

    threading.Thread(target=run, name="first-screen", daemon=True).start()
    return future
