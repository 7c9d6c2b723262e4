"""The reader's annotations of a story: notes, highlights, tags and entity corrections.

Offsets (a note's quote, a highlight) are character offsets into the story's stored Markdown
body, the same text entity mentions point into. Every write is one transaction. Text from the
web (quotes, highlighted passages) loses control characters and escape sequences on the way
in; so does the reader's own text, which may have been pasted from anywhere. Entity
corrections are reader.store.corrections.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable

from reader.models import Highlight, Note, Story
from reader.store import rows
from reader.store.base import StoreBase
from reader.text import clean_line, strip_controls

NOTE_LIMIT = 50_000
QUOTE_LIMIT = 5_000
TAG_LIMIT = 64


def _span(start: int | None, end: int | None) -> None:
    if (start is None) != (end is None):
        raise ValueError("A passage needs both a start and an end offset.")
    if start is not None and end is not None and not 0 <= start <= end:
        raise ValueError(f"Bad passage offsets {start}..{end}.")


def _note_text(text: str) -> str:
    cleaned = strip_controls(text).strip()[:NOTE_LIMIT]
    if not cleaned:
        raise ValueError("A note needs some text.")
    return cleaned


def normalize_tag(tag: str) -> str:
    """A tag as stored: letters, digits, '_', '-' and '/' only (what Obsidian accepts in a
    tag), anything else such as spaces as '-', no leading '#', at most TAG_LIMIT characters.
    Raises ValueError if nothing is left."""
    cleaned = re.sub(r"[^\w/-]+", "-", clean_line(tag, TAG_LIMIT * 2).lstrip("#"))
    cleaned = cleaned.strip("-/")[:TAG_LIMIT].strip("-/")
    if not cleaned:
        raise ValueError("A tag needs at least one letter or digit.")
    return cleaned


def parse_tags(text: str) -> list[str]:
    """The tags in a line the reader typed: separated by commas, or by spaces when there is
    no comma ("kharkiv, war crimes" is two tags; "#kharkiv #izium" is two)."""
    parts = text.split(",") if "," in text else text.split()
    out: list[str] = []
    for part in parts:
        try:
            tag = normalize_tag(part)
        except ValueError:
            continue
        if tag.casefold() not in (t.casefold() for t in out):
            out.append(tag)
    return out


class AnnotationsMixin(StoreBase):
    """Notes, highlights and tags."""

    def add_note(self, story_id: int, text: str, quote: str | None = None,
                 quote_start: int | None = None, quote_end: int | None = None) -> Note:
        """Add a note, optionally on the passage `quote` at body[quote_start:quote_end].

        Raises ValueError for empty text or bad offsets, StoreError if the story is gone.
        """
        body = _note_text(text)
        _span(quote_start, quote_end)
        quoted = strip_controls(quote).strip()[:QUOTE_LIMIT] if quote else None
        now = int(time.time())
        with self.db.transaction() as conn:
            self._require_story(conn, story_id)
            cur = conn.execute(
                "INSERT INTO notes (story_id, quote, quote_start, quote_end, text, created,"
                " updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (story_id, quoted or None, quote_start, quote_end, body, now, now),
            )
            note_id = int(cur.lastrowid or 0)
        found = self.note(note_id)
        assert found is not None
        return found

    def note(self, note_id: int) -> Note | None:
        found = self.db.query("SELECT * FROM notes WHERE id = ?", (note_id,))
        return rows.note(found[0]) if found else None

    def edit_note(self, note_id: int, text: str) -> Note | None:
        """Replace a note's text (its quote stays); None if there is no such note."""
        body = _note_text(text)
        with self.db.transaction() as conn:
            conn.execute("UPDATE notes SET text = ?, updated = ? WHERE id = ?",
                         (body, int(time.time()), note_id))
        return self.note(note_id)

    def delete_note(self, note_id: int) -> bool:
        """Delete a note; False if there was no such note."""
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM notes WHERE id = ?", (note_id,)).rowcount > 0

    def notes(self, story_id: int) -> list[Note]:
        """A story's notes, oldest first."""
        found = self.db.query("SELECT * FROM notes WHERE story_id = ? ORDER BY id", (story_id,))
        return [rows.note(r) for r in found]

    def add_highlight(self, story_id: int, start: int, end: int, text: str) -> Highlight:
        """Highlight body[start:end] (`text` is that passage); the same span twice is one
        highlight. Raises ValueError for an empty or reversed span.
        """
        if not 0 <= start < end:
            raise ValueError(f"Bad highlight offsets {start}..{end}.")
        passage = strip_controls(text)[:NOTE_LIMIT]
        with self.db.transaction() as conn:
            self._require_story(conn, story_id)
            row = conn.execute("SELECT * FROM highlights WHERE story_id = ? AND start = ?"
                               " AND end = ?", (story_id, start, end)).fetchone()
            if row is not None:
                return rows.highlight(row)
            cur = conn.execute(
                "INSERT INTO highlights (story_id, start, end, text, created)"
                " VALUES (?, ?, ?, ?, ?)",
                (story_id, start, end, passage, int(time.time())),
            )
            row = conn.execute("SELECT * FROM highlights WHERE id = ?",
                               (cur.lastrowid,)).fetchone()
        return rows.highlight(row)

    def remove_highlights_at(self, story_id: int, start: int, end: int) -> int:
        """Remove every highlight of a story overlapping body[start:end] (or holding `start`
        when start == end); returns how many were removed. Lets one key toggle a highlight off."""
        with self.db.transaction() as conn:
            return conn.execute(
                "DELETE FROM highlights WHERE story_id = ? AND start < max(?, ? + 1) AND end > ?",
                (story_id, end, start, start),
            ).rowcount

    def highlights(self, story_id: int) -> list[Highlight]:
        """A story's highlights in reading order."""
        found = self.db.query("SELECT * FROM highlights WHERE story_id = ?"
                              " ORDER BY start, end, id", (story_id,))
        return [rows.highlight(r) for r in found]

    def tags(self, story_id: int) -> list[str]:
        found = self.db.query("SELECT tag FROM tags WHERE story_id = ? ORDER BY tag", (story_id,))
        return [r[0] for r in found]

    @staticmethod
    def _spelling(conn: sqlite3.Connection, tag: str) -> str:
        """The spelling already in use for `tag`, so "Kharkiv" typed later joins "kharkiv"."""
        row = conn.execute("SELECT tag FROM tags WHERE tag = ? LIMIT 1", (tag,)).fetchone()
        return row[0] if row else tag

    def add_tag(self, story_id: int, tag: str) -> str:
        """Tag a story; returns the tag as stored. Raises ValueError for an empty tag."""
        name = normalize_tag(tag)
        with self.db.transaction() as conn:
            self._require_story(conn, story_id)
            name = self._spelling(conn, name)
            conn.execute("INSERT OR IGNORE INTO tags (story_id, tag) VALUES (?, ?)",
                         (story_id, name))
        return name

    def set_tags(self, story_id: int, new_tags: Iterable[str]) -> list[str]:
        """Make a story's tags exactly `new_tags` (empty ones skipped); returns them as stored."""
        names: list[str] = []
        for t in new_tags:
            try:
                names.append(normalize_tag(t))
            except ValueError:
                continue
        with self.db.transaction() as conn:
            self._require_story(conn, story_id)
            conn.execute("DELETE FROM tags WHERE story_id = ?", (story_id,))
            for name in names:
                conn.execute("INSERT OR IGNORE INTO tags (story_id, tag) VALUES (?, ?)",
                             (story_id, self._spelling(conn, name)))
        return self.tags(story_id)

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with how many stories carry it, most used first (for autocomplete)."""
        found = self.db.query("SELECT min(tag), count(*) AS n FROM tags GROUP BY tag"
                              " ORDER BY n DESC, tag")
        return [(r[0], r[1]) for r in found]

    def story_ids_with_tag(self, tag: str) -> list[int]:
        found = self.db.query("SELECT story_id FROM tags WHERE tag = ? ORDER BY story_id",
                              (tag.strip().lstrip("#"),))
        return [r[0] for r in found]

    def stories_with_tag(self, tag: str, limit: int = 200, offset: int = 0) -> list[Story]:
        """Stories carrying `tag`, newest first, in pages like Store.stories."""
        found = self.db.query(
            f"SELECT {rows.STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id"
            " WHERE s.id IN (SELECT story_id FROM tags WHERE tag = ?)"
            " ORDER BY s.published IS NULL, s.published DESC, s.id DESC LIMIT ? OFFSET ?",
            (tag.strip().lstrip("#"), limit, offset),
        )
        return [rows.story(r) for r in found]
