"""The SQLite cache of feeds, stories, reading state and extraction results."""

from reader.store.store import PAGES_FEED_URL, Store, fts_query

__all__ = ["PAGES_FEED_URL", "Store", "fts_query"]
