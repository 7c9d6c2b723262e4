"""The reader's corrections to a story's extracted entities: remove, retype, merge.

Corrections are stored apart from the analysis and applied whenever entities are read, so
they survive a re-analysis of the story (which rewrites story_entities).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

from reader.corrections import apply_corrections
from reader.errors import StoreError
from reader.models import Entity, EntityCorrection
from reader.store.store import Store
from reader.text import clean_line

KIND_LIMIT = 40


def from_ts(value: int | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


def require_story(conn: sqlite3.Connection, story_id: int) -> None:
    if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
        raise StoreError(f"There is no story {story_id}; it may have been removed.")


def _correction(row: sqlite3.Row) -> EntityCorrection:
    return EntityCorrection(id=row["id"], story_id=row["story_id"], name=row["name"],
                            action=row["action"], kind=row["kind"], target=row["target"],
                            created=from_ts(row["created"]))


def _add_correction(store: Store, story_id: int, name: str, action: str,
                    kind: str | None = None, target: str | None = None) -> EntityCorrection:
    entity = clean_line(name, 200)
    if not entity:
        raise ValueError("Which entity? The name is empty.")
    with store.db.transaction() as conn:
        require_story(conn, story_id)
        if action == "retype":  # only the latest kind matters
            conn.execute("DELETE FROM entity_corrections WHERE story_id = ? AND name = ?"
                         " AND action = 'retype'", (story_id, entity))
        cur = conn.execute(
            "INSERT INTO entity_corrections (story_id, name, action, kind, target, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (story_id, entity, action, kind, target, int(time.time())),
        )
        row = conn.execute("SELECT * FROM entity_corrections WHERE id = ?",
                           (cur.lastrowid,)).fetchone()
    return _correction(row)


def remove_entity(store: Store, story_id: int, name: str) -> EntityCorrection:
    """Drop a wrongly extracted entity from a story, now and after any re-analysis."""
    return _add_correction(store, story_id, name, "remove")


def retype_entity(store: Store, story_id: int, name: str, kind: str) -> EntityCorrection:
    """Give an entity another kind ("person", "place", "organization", or any short word)."""
    cleaned = clean_line(kind, KIND_LIMIT).lower()
    if not cleaned:
        raise ValueError("The new kind is empty.")
    return _add_correction(store, story_id, name, "retype", kind=cleaned)


def merge_entities(store: Store, story_id: int, name: str, into: str) -> EntityCorrection:
    """Fold entity `name` into entity `into`: its spellings become aliases, its mentions join.

    When no entity is called `into`, `name` is renamed to it (keeping the old name as alias).
    """
    target = clean_line(into, 200)
    if not target or target == clean_line(name, 200):
        raise ValueError("Merge an entity into a different one.")
    return _add_correction(store, story_id, name, "merge", target=target)


def corrections(store: Store, story_id: int) -> list[EntityCorrection]:
    """A story's entity corrections in the order they are applied."""
    rows = store.db.query("SELECT * FROM entity_corrections WHERE story_id = ? ORDER BY id",
                          (story_id,))
    return [_correction(r) for r in rows]


def undo_correction(store: Store, correction_id: int) -> bool:
    with store.db.transaction() as conn:
        return conn.execute("DELETE FROM entity_corrections WHERE id = ?",
                            (correction_id,)).rowcount > 0


def corrected_entities(store: Store, story_id: int) -> list[Entity]:
    """store.entities(story_id) with the reader's corrections applied."""
    return apply_corrections(store.entities(story_id), corrections(store, story_id))[0]
