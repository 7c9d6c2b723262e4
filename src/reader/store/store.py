"""The cache: feeds, stories, reading state, search, and each story's entities and timeline."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from reader.errors import StoreError
from reader.models import Entity, Feed, ParsedEntry, Story, StoryBody, TimelineFact
from reader.store.db import Database
from reader.store.schema import PAGE_DONE, PAGE_FAILED, PAGE_NONE, PAGE_PENDING
from reader.text import clean_line, strip_controls

PAGES_FEED_URL = "warreader:pages"  # the pseudo-feed holding single pages the user added


def _ts(value: dt.datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def _dt(value: int | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


_FEED_COLUMNS = """
    f.id, f.url, f.title, f.site_url, f.full_text, f.is_page_list, f.last_checked, f.last_error,
    (SELECT count(*) FROM stories s WHERE s.feed_id = f.id AND s.read = 0) AS unread,
    (SELECT count(*) FROM stories s WHERE s.feed_id = f.id) AS total
"""
_STORY_COLUMNS = """
    s.id, s.feed_id, f.title AS feed_title, s.title, s.url, s.published, s.author,
    s.read, s.starred, s.fetched
"""


def _feed(row: sqlite3.Row) -> Feed:
    return Feed(
        id=row["id"], url=row["url"], title=row["title"] or row["url"],
        site_url=row["site_url"], full_text=bool(row["full_text"]),
        last_checked=_dt(row["last_checked"]), last_error=row["last_error"],
        unread=row["unread"], total=row["total"], is_page_list=bool(row["is_page_list"]),
    )


def _story(row: sqlite3.Row) -> Story:
    return Story(
        id=row["id"], feed_id=row["feed_id"], feed_title=row["feed_title"] or "",
        title=row["title"], url=row["url"], published=_dt(row["published"]),
        author=row["author"], read=bool(row["read"]), starred=bool(row["starred"]),
        fetched=_dt(row["fetched"]),
    )


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: each word quoted, all required, last one a prefix.

    Quoting means no user input is ever parsed as FTS syntax (a stray quote or NEAR is text).
    """
    words = re.findall(r"\w[\w'-]*", text)
    if not words:
        return ""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class Store:
    """All reads and writes of the cache. Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Feeds -----------------------------------------------------------------------------

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
        rows = self.db.query(
            f"SELECT {_FEED_COLUMNS} FROM feeds f ORDER BY f.is_page_list, lower(f.title), f.id"
        )
        return [_feed(r) for r in rows]

    def feed(self, feed_id: int) -> Feed | None:
        rows = self.db.query(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,))
        return _feed(rows[0]) if rows else None

    def feed_by_url(self, url: str) -> Feed | None:
        rows = self.db.query(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,))
        return _feed(rows[0]) if rows else None

    def find_feed(self, key: str) -> Feed | None:
        """A feed by id, URL, or (unique, case-insensitive) title."""
        if key.isdigit():
            found = self.feed(int(key))
            if found:
                return found
        found = self.feed_by_url(key)
        if found:
            return found
        rows = self.db.query(
            f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE lower(f.title) = lower(?)", (key,)
        )
        return _feed(rows[0]) if len(rows) == 1 else None

    def remove_feed(self, feed_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def set_feed_url(self, feed_id: int, url: str) -> None:
        """Point a feed at a new address; its validators belong to the old one and are dropped."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE feeds SET url = ?, etag = NULL, last_modified = NULL"
                         " WHERE id = ?", (url, feed_id))

    def set_full_text(self, feed_id: int, full_text: bool) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (int(full_text), feed_id))

    def fetch_state(self, feed_id: int) -> tuple[str | None, str | None]:
        """The validators (ETag, Last-Modified) to send with the next fetch of a feed."""
        rows = self.db.query("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,))
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

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

    # Stories ---------------------------------------------------------------------------

    def store_entries(
        self, feed_id: int, entries: Sequence[ParsedEntry], bodies: Sequence[str], *,
        feed_title: str | None = None, site_url: str | None = None,
        etag: str | None = None, last_modified: str | None = None, want_pages: bool = False,
    ) -> list[int]:
        """Store a fetched feed in one transaction: new stories, feed title and validators.

        The validators are saved with the stories, so a crash can never leave a feed marked
        as fetched whose stories were not stored. Returns the ids of stories that are new.
        """
        now = int(time.time())
        new_ids: list[int] = []
        page_state = PAGE_PENDING if want_pages else PAGE_NONE
        with self.db.transaction() as conn:
            for entry, body in zip(entries, bodies, strict=True):
                cur = conn.execute(
                    "INSERT INTO stories (feed_id, guid, title, url, published, author, body,"
                    " page_state, fetched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (feed_id, guid) DO NOTHING",
                    (feed_id, entry.guid, clean_line(entry.title) or "(untitled)",
                     entry.url, _ts(entry.published), clean_line(entry.author) or None,
                     strip_controls(body),
                     page_state if entry.url else PAGE_NONE, now),
                )
                if cur.rowcount:
                    new_ids.append(int(cur.lastrowid or 0))
            conn.execute(
                "UPDATE feeds SET title = CASE WHEN ? != '' THEN ? ELSE title END,"
                " site_url = coalesce(?, site_url), etag = ?, last_modified = ?,"
                " last_error = NULL, last_checked = ? WHERE id = ?",
                (clean_line(feed_title), clean_line(feed_title), site_url, etag, last_modified,
                 now, feed_id),
            )
        return new_ids

    def pending_pages(self, feed_ids: Iterable[int] | None = None,
                      limit: int = 10_000) -> list[tuple[int, str, int]]:
        """(story id, url, feed id) of stories whose full page is wanted but not yet stored.

        This includes pages left over from an interrupted refresh.
        """
        sql = ("SELECT s.id, s.url, s.feed_id FROM stories s JOIN feeds f ON f.id = s.feed_id"
               " WHERE s.page_state = ? AND f.full_text = 1")
        params: list[object] = [PAGE_PENDING]
        if feed_ids is not None:
            ids = list(feed_ids)
            sql += f" AND s.feed_id IN ({','.join('?' * len(ids))})"
            params += ids
        sql += " ORDER BY s.published IS NULL, s.published DESC, s.id LIMIT ?"  # newest first
        params.append(limit)
        return [(r[0], r[1], r[2]) for r in self.db.query(sql, tuple(params))]

    def store_page(self, story_id: int, *, markdown: str | None, error: str | None = None,
                   author: str | None = None, image_url: str | None = None,
                   published: dt.datetime | None = None) -> None:
        """Save a story's extracted page, or why it could not be had (the summary stays)."""
        with self.db.transaction() as conn:
            if markdown:
                conn.execute(
                    "UPDATE stories SET body = ?, full_text = 1, page_state = ?,"
                    " extract_error = NULL, analysed = 0, author = coalesce(author, ?),"
                    " image_url = coalesce(?, image_url), published = coalesce(published, ?)"
                    " WHERE id = ?",
                    (strip_controls(markdown), PAGE_DONE, clean_line(author) or None,
                     image_url, _ts(published), story_id),
                )
            else:
                conn.execute(
                    "UPDATE stories SET page_state = ?, extract_error = ? WHERE id = ?",
                    (PAGE_FAILED, clean_line(error or "No article text found.", 300), story_id),
                )

    def stories(self, *, feed_id: int | None = None, unread: bool | None = None,
                starred: bool | None = None, entity: str | None = None,
                limit: int = 200, offset: int = 0) -> list[Story]:
        """Stories newest first, filtered; pages of `limit` so a list never loads everything."""
        where, params = self._filters(feed_id, unread, starred, entity)
        rows = self.db.query(
            f"SELECT {_STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id {where}"
            " ORDER BY s.published IS NULL, s.published DESC, s.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_story(r) for r in rows]

    def count_stories(self, *, feed_id: int | None = None, unread: bool | None = None,
                      starred: bool | None = None, entity: str | None = None) -> int:
        where, params = self._filters(feed_id, unread, starred, entity)
        return int(self.db.query(f"SELECT count(*) FROM stories s {where}", params)[0][0])

    @staticmethod
    def _filters(feed_id: int | None, unread: bool | None, starred: bool | None,
                 entity: str | None) -> tuple[str, tuple[object, ...]]:
        clauses: list[str] = []
        params: list[object] = []
        if feed_id is not None:
            clauses.append("s.feed_id = ?")
            params.append(feed_id)
        # Literal flags, not parameters: SQLite picks a partial index only when it can see
        # the value (stories_unread, stories_starred).
        if unread is not None:
            clauses.append("s.read = 0" if unread else "s.read = 1")
        if starred is not None:
            clauses.append("s.starred = 1" if starred else "s.starred = 0")
        if entity is not None:
            clauses.append("s.id IN (SELECT story_id FROM story_entities WHERE name = ?)")
            params.append(entity)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", tuple(params)

    def story(self, story_id: int) -> Story | None:
        rows = self.db.query(
            f"SELECT {_STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id"
            " WHERE s.id = ?", (story_id,)
        )
        return _story(rows[0]) if rows else None

    def body(self, story_id: int) -> StoryBody | None:
        rows = self.db.query(
            f"SELECT {_STORY_COLUMNS}, s.body, s.image_url, s.scroll, s.full_text,"
            " s.extract_error FROM stories s JOIN feeds f ON f.id = s.feed_id WHERE s.id = ?",
            (story_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return StoryBody(story=_story(row), markdown=row["body"], image_url=row["image_url"],
                         scroll=row["scroll"], full_text=bool(row["full_text"]),
                         extract_error=row["extract_error"])

    def search(self, text: str, *, limit: int = 200) -> list[Story]:
        """Stories matching every word of `text` in title or body, best match first."""
        query = fts_query(text)
        if not query:
            return []
        try:
            rows = self.db.query(
                f"SELECT {_STORY_COLUMNS} FROM stories_fts"
                " JOIN stories s ON s.id = stories_fts.rowid JOIN feeds f ON f.id = s.feed_id"
                " WHERE stories_fts MATCH ? ORDER BY bm25(stories_fts, 5.0, 1.0) LIMIT ?",
                (query, limit),
            )
        except StoreError:
            raise
        return [_story(r) for r in rows]

    def set_read(self, story_id: int, read: bool = True) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET read = ? WHERE id = ?", (int(read), story_id))

    def set_feed_read(self, feed_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET read = 1 WHERE feed_id = ? AND read = 0", (feed_id,))

    def set_starred(self, story_id: int, starred: bool = True) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET starred = ? WHERE id = ?", (int(starred), story_id))

    def set_scroll(self, story_id: int, scroll: float) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET scroll = ? WHERE id = ?", (float(scroll), story_id))

    # Entities and timeline -------------------------------------------------------------

    def pending_analysis(self, limit: int = 500) -> list[tuple[int, str, dt.datetime | None]]:
        """(id, body, published) of stories whose entities and timeline are not yet stored."""
        rows = self.db.query(
            "SELECT id, body, coalesce(published, fetched) AS published FROM stories"
            " WHERE analysed = 0 AND page_state != ? ORDER BY id LIMIT ?",
            (PAGE_PENDING, limit),
        )
        return [(r["id"], r["body"], _dt(r["published"])) for r in rows]

    def store_analysis(self, story_id: int, entities: Sequence[Entity],
                       facts: Sequence[TimelineFact]) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
            conn.execute("DELETE FROM story_facts WHERE story_id = ?", (story_id,))
            conn.executemany(
                "INSERT INTO story_entities (story_id, rank, name, kind, aliases, mentions, count)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(story_id, rank, clean_line(e.name, 200), e.kind,
                  json.dumps([clean_line(a, 200) for a in e.aliases]),
                  json.dumps([list(m) for m in e.mentions]), len(e.mentions))
                 for rank, e in enumerate(entities)],
            )
            conn.executemany(
                "INSERT INTO story_facts (story_id, position, date, span_start, span_end,"
                " sentence, entities, relative) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(story_id, pos, f.date, f.span[0], f.span[1], clean_line(f.sentence, 400),
                  json.dumps(list(f.entities)), int(f.relative))
                 for pos, f in enumerate(facts)],
            )
            conn.execute("UPDATE stories SET analysed = 1 WHERE id = ?", (story_id,))

    def entities(self, story_id: int) -> list[Entity]:
        rows = self.db.query(
            "SELECT name, kind, aliases, mentions FROM story_entities WHERE story_id = ?"
            " ORDER BY rank", (story_id,),
        )
        return [Entity(name=r["name"], kind=r["kind"], aliases=tuple(json.loads(r["aliases"])),
                       mentions=tuple((a, b) for a, b in json.loads(r["mentions"])))
                for r in rows]

    def timeline(self, story_id: int) -> list[TimelineFact]:
        rows = self.db.query(
            "SELECT date, span_start, span_end, sentence, entities, relative FROM story_facts"
            " WHERE story_id = ? ORDER BY position", (story_id,),
        )
        return [TimelineFact(date=r["date"], span=(r["span_start"], r["span_end"]),
                             sentence=r["sentence"], entities=tuple(json.loads(r["entities"])),
                             relative=bool(r["relative"]))
                for r in rows]

    def is_analysed(self, story_id: int) -> bool:
        rows = self.db.query("SELECT analysed FROM stories WHERE id = ?", (story_id,))
        return bool(rows and rows[0][0])
