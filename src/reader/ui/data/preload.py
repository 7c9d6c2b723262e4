"""The first screen's data, read from SQLite before Textual is imported.

The read takes a few milliseconds (5 ms for 10,000 stories), and having it when the main
screen mounts puts the story list in the very first frame instead of a frame drawn after a
worker has run. It is done in the main thread on purpose: a thread reading during the import
of Textual was starved of the GIL (SQLite hands it back at every row) and finished after the
screen had mounted. This module must not import Textual: it runs first. Its values are
named tuples, cheaper to define than dataclasses (reader.models says why that matters).
"""

from __future__ import annotations

from typing import NamedTuple

from reader.models import Feed, Story
from reader.store import Store
from reader.ui.data.sources import PAGE, StoreSource


class FeedListData(NamedTuple):
    """What the feed list shows: the feeds, the Unread and Starred counts, and the tags with
    how many stories carry each."""

    feeds: list[Feed]
    unread: int
    starred: int
    tags: list[tuple[str, int]]


def read_feed_list(store: Store) -> FeedListData:
    return FeedListData(store.feeds(), store.count_stories(unread=True),
                        store.count_stories(starred=True), store.all_tags())


class FirstScreen(NamedTuple):
    source: StoreSource
    feed_list: FeedListData
    total: int
    pages: dict[int, list[Story]]


def read_first_screen(store: Store) -> FirstScreen:
    source = StoreSource(store)
    return FirstScreen(source, read_feed_list(store), source.count(), {0: source.page(0, PAGE)})


def read(store: Store) -> FirstScreen | None:
    """The first screen, or None when reading it failed: the app then loads it in a worker,
    which reports the error in words."""
    try:
        return read_first_screen(store)
    except Exception:
        return None
