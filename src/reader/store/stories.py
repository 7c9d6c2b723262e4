"""The store's stories: what refreshes write, what the lists read, search, reading state,
and each story's extracted entities and timeline."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Sequence

from reader.models import Entity, ParsedEntry, Story, StoryBody, TimelineFact
from reader.store import rows
from reader.store.base import StoreBase
from reader.store.schema import (
    PAGE_DONE,
    PAGE_FAILED,
    PAGE_NONE,
    PAGE_PENDING,
    PAGE_TRIES,
    RETRY_AFTER,
)
from reader.text import clean_line, strip_controls


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


class StoriesMixin(StoreBase):
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
                     entry.url, rows.to_ts(entry.published), clean_line(entry.author) or None,
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

        This includes pages left over from an interrupted refresh, and pages whose fetch
        failed for a passing reason once their wait is over.
        """
        sql = ("SELECT s.id, s.url, s.feed_id FROM stories s JOIN feeds f ON f.id = s.feed_id"
               " WHERE (s.page_state = ? OR (s.page_retry_at IS NOT NULL"
               " AND s.page_retry_at <= ?)) AND f.full_text = 1")
        params: list[object] = [PAGE_PENDING, int(time.time())]
        if feed_ids is not None:
            ids = list(feed_ids)
            sql += f" AND s.feed_id IN ({','.join('?' * len(ids))})"
            params += ids
        sql += " ORDER BY s.published IS NULL, s.published DESC, s.id LIMIT ?"  # newest first
        params.append(limit)
        return [(r[0], r[1], r[2]) for r in self.db.query(sql, params)]

    def store_page(self, story_id: int, *, markdown: str | None, error: str | None = None,
                   author: str | None = None, image_url: str | None = None,
                   published: dt.datetime | None = None, retry: bool = False) -> None:
        """Save a story's extracted page, or why it could not be had (the summary stays).

        `retry`: the failure may pass (a timeout, a 503), so later refreshes try again,
        waiting RETRY_AFTER seconds and twice as long each time, PAGE_TRIES times in all.
        """
        with self.db.transaction() as conn:
            if markdown:
                conn.execute(
                    "UPDATE stories SET body = ?, full_text = 1, page_state = ?,"
                    " page_tries = 0, page_retry_at = NULL,"
                    " extract_error = NULL, analysed = 0, author = coalesce(author, ?),"
                    " image_url = coalesce(?, image_url), published = coalesce(published, ?)"
                    " WHERE id = ?",
                    (strip_controls(markdown), PAGE_DONE, clean_line(author) or None,
                     image_url, rows.to_ts(published), story_id),
                )
            else:
                conn.execute(
                    "UPDATE stories SET page_state = ?, extract_error = ?,"
                    " page_tries = page_tries + 1, page_retry_at = CASE"
                    " WHEN ? AND page_tries + 1 < ? THEN ? + ? * (1 << page_tries) END"
                    " WHERE id = ?",
                    (PAGE_FAILED, clean_line(error or "No article text found.", 300),
                     int(retry), PAGE_TRIES, int(time.time()), RETRY_AFTER, story_id),
                )

    def stories(self, *, feed_id: int | None = None, unread: bool | None = None,
                starred: bool | None = None, entity: str | None = None,
                limit: int = 200, offset: int = 0) -> list[Story]:
        """Stories newest first, filtered; pages of `limit` so a list never loads everything."""
        where, params = self._filters(feed_id, unread, starred, entity)
        found = self.db.query(
            f"SELECT {rows.STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id {where}"
            " ORDER BY s.published IS NULL, s.published DESC, s.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [rows.story(r) for r in found]

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
        found = self.db.query(
            f"SELECT {rows.STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id"
            " WHERE s.id = ?", (story_id,)
        )
        return rows.story(found[0]) if found else None

    def body(self, story_id: int) -> StoryBody | None:
        found = self.db.query(
            f"SELECT {rows.STORY_COLUMNS}, s.body, s.image_url, s.scroll, s.full_text,"
            " s.extract_error FROM stories s JOIN feeds f ON f.id = s.feed_id WHERE s.id = ?",
            (story_id,),
        )
        if not found:
            return None
        row = found[0]
        return StoryBody(story=rows.story(row), markdown=row["body"], image_url=row["image_url"],
                         scroll=row["scroll"], full_text=bool(row["full_text"]),
                         extract_error=row["extract_error"])

    def search(self, text: str, *, limit: int = 200) -> list[Story]:
        """Stories matching every word of `text` in title or body, best match first."""
        query = fts_query(text)
        if not query:
            return []
        found = self.db.query(
            f"SELECT {rows.STORY_COLUMNS} FROM stories_fts"
            " JOIN stories s ON s.id = stories_fts.rowid JOIN feeds f ON f.id = s.feed_id"
            " WHERE stories_fts MATCH ? ORDER BY bm25(stories_fts, 5.0, 1.0) LIMIT ?",
            (query, limit),
        )
        return [rows.story(r) for r in found]

    def set_read(self, story_id: int, read: bool = True) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET read = ? WHERE id = ?", (int(read), story_id))

    def mark_all_read(self, *, feed_id: int | None = None, starred: bool | None = None,
                      entity: str | None = None) -> int:
        """Mark read every unread story matching the filters; how many were marked."""
        where, params = self._filters(feed_id, True, starred, entity)
        with self.db.transaction() as conn:
            cur = conn.execute(f"UPDATE stories SET read = 1 WHERE id IN"
                               f" (SELECT s.id FROM stories s {where})", params)
        return cur.rowcount

    def set_starred(self, story_id: int, starred: bool = True) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET starred = ? WHERE id = ?", (int(starred), story_id))

    def set_scroll(self, story_id: int, scroll: float) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE stories SET scroll = ? WHERE id = ?", (float(scroll), story_id))

    def pending_analysis(self, limit: int = 500) -> list[tuple[int, str, dt.datetime | None]]:
        """(id, body, published) of stories whose entities and timeline are not yet stored."""
        found = self.db.query(
            "SELECT id, body, coalesce(published, fetched) AS published FROM stories"
            " WHERE analysed = 0 AND page_state != ? ORDER BY id LIMIT ?",
            (PAGE_PENDING, limit),
        )
        return [(r["id"], r["body"], rows.from_ts(r["published"])) for r in found]

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
        found = self.db.query(
            "SELECT name, kind, aliases, mentions FROM story_entities WHERE story_id = ?"
            " ORDER BY rank", (story_id,),
        )
        return [rows.entity(r) for r in found]

    def timeline(self, story_id: int) -> list[TimelineFact]:
        found = self.db.query(
            "SELECT date, span_start, span_end, sentence, entities, relative FROM story_facts"
            " WHERE story_id = ? ORDER BY position", (story_id,),
        )
        return [rows.fact(r) for r in found]

    def is_analysed(self, story_id: int) -> bool:
        found = self.db.query("SELECT analysed FROM stories WHERE id = ?", (story_id,))
        return bool(found and found[0][0])
