"""The cache as one object: every part's reads and writes, every SQLite error translated."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from reader.store.annotations import AnnotationsMixin
from reader.store.corrections import CorrectionsMixin
from reader.store.feeds import FeedsMixin
from reader.store.saved import SavedFilesMixin
from reader.store.stories import StoriesMixin

if TYPE_CHECKING:
    from reader.store.index import IndexStore
    from reader.store.places import PlaceStore


class Store(AnnotationsMixin, CorrectionsMixin, StoriesMixin, FeedsMixin, SavedFilesMixin):
    """All reads and writes of the cache. Safe to share between threads.

    Feeds, stories, annotations, entity corrections and saved files each keep their SQL in
    their own module, a mixin of this class; the cross-story index (`index`) and the map's
    places (`places`) are parts of their own, made on first use. Every query goes through
    Database, which turns sqlite3 errors into StoreErrors in the reader's words.
    """

    # The index and places modules are imported when first used, not with the store: the
    # reader's start (the story list) needs neither, and every start would pay for them.

    @cached_property
    def index(self) -> IndexStore:
        """The entity index, the fact index and the merged timeline."""
        from reader.store.index import IndexStore

        return IndexStore(self.db)

    @cached_property
    def places(self) -> PlaceStore:
        """How often each place is reported, for the maps."""
        from reader.store.places import PlaceStore

        return PlaceStore(self.db)
