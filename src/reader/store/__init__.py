"""The SQLite cache of feeds, stories, reading state, annotations and the story index.

All SQL lives in this package, behind one object: `Store`.
"""

from reader.store.feeds import PAGES_FEED_URL
from reader.store.store import Store
from reader.store.stories import fts_query

__all__ = ["PAGES_FEED_URL", "Store", "fts_query"]
