"""The cache as one object: every part's reads and writes, every SQLite error translated."""

from __future__ import annotations

from reader.store.annotations import AnnotationsMixin
from reader.store.corrections import CorrectionsMixin
from reader.store.feeds import FeedsMixin
from reader.store.index import IndexMixin
from reader.store.places import PlacesMixin
from reader.store.saved import SavedFilesMixin
from reader.store.stories import StoriesMixin


class Store(AnnotationsMixin, CorrectionsMixin, StoriesMixin, FeedsMixin, IndexMixin,
            PlacesMixin, SavedFilesMixin):
    """All reads and writes of the cache. Safe to share between threads.

    Feeds, stories, annotations, entity corrections, the cross-story index and saved files
    each keep their SQL in their own module; every query goes through Database, which turns
    sqlite3 errors into StoreErrors in the reader's words.
    """
