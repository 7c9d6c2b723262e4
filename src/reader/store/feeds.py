"""The store's feeds: subscriptions, their fetch validators and last errors."""

from __future__ import annotations

import time

from reader.models import Feed
from reader.store import rows
from reader.store.base import StoreBase
from reader.text import clean_line, natural_key

PAGES_FEED_URL = "warreader:pages"  # the pseudo-feed holding single pages the user added


class FeedsMixin(StoreBase):
    def add_feed(self, url: str, title: str | None = None, *, full_text: bool = True,
                 is_page_list: bool = False) -> Feed:
        """Subscribe to `url`; adding an existing one returns it unchanged."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO feeds (url, title, full_text, is_page_list, added) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                (url, clean_line(title or ""), int(full_text), int(is_page_list),
                 int(time.time())),
            )
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed

    def feeds(self) -> list[Feed]:
        """Every feed by name in natural order ("Feed 6" before "Feed 10"), the pages the
        reader added last."""
        found = [rows.feed(r) for r in
                 self.db.query(f"SELECT {rows.FEED_COLUMNS} FROM feeds f ORDER BY f.id")]
        return sorted(found, key=lambda f: (f.is_page_list, natural_key(f.title)))

    def feed(self, feed_id: int) -> Feed | None:
        found = self.db.query(f"SELECT {rows.FEED_COLUMNS} FROM feeds f WHERE f.id = ?",
                              (feed_id,))
        return rows.feed(found[0]) if found else None

    def feed_by_url(self, url: str) -> Feed | None:
        found = self.db.query(f"SELECT {rows.FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,))
        return rows.feed(found[0]) if found else None

    def find_feed(self, key: str) -> Feed | None:
        """A feed by id, URL, or (unique, case-insensitive) title."""
        if key.isdigit():
            by_id = self.feed(int(key))
            if by_id:
                return by_id
        by_url = self.feed_by_url(key)
        if by_url:
            return by_url
        found = self.db.query(
            f"SELECT {rows.FEED_COLUMNS} FROM feeds f"
            " WHERE lower(coalesce(nullif(f.user_title, ''), f.title)) = lower(?)", (key,)
        )
        return rows.feed(found[0]) if len(found) == 1 else None

    def rename_feed(self, feed_id: int, title: str) -> None:
        """Give a feed the reader's own name (kept over the feed's title); "" restores the
        feed's title."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE feeds SET user_title = ? WHERE id = ?",
                         (clean_line(title, 200) or None, feed_id))

    def set_full_text(self, feed_id: int, full_text: bool) -> None:
        """Fetch (or not) each new story's page for its full text."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (int(full_text), feed_id))

    def remove_feed(self, feed_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def set_feed_url(self, feed_id: int, url: str) -> None:
        """Point a feed at a new address; its validators belong to the old one and are dropped."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE feeds SET url = ?, etag = NULL, last_modified = NULL"
                         " WHERE id = ?", (url, feed_id))

    def fetch_state(self, feed_id: int) -> tuple[str | None, str | None]:
        """The validators (ETag, Last-Modified) to send with the next fetch of a feed."""
        found = self.db.query("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,))
        return (found[0]["etag"], found[0]["last_modified"]) if found else (None, None)

    def record_failure(self, feed_id: int, error: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE feeds SET last_error = ?, last_checked = ? WHERE id = ?",
                (clean_line(error, 300), int(time.time()), feed_id),
            )

    def record_unchanged(self, feed_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE feeds SET last_error = NULL, last_checked = ? WHERE id = ?",
                (int(time.time()), feed_id),
            )
