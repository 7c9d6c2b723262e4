"""The reader's corrections to a story's extracted entities: remove, retype, merge.

Corrections are stored apart from the analysis and applied whenever entities are read, so
they survive a re-analysis of the story (which rewrites story_entities).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace

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


def _find(entities: list[Entity], name: str) -> int | None:
    """Where `name` is: by name, then ignoring case, then as an alias (a re-analysis may
    have chosen another spelling as the entity's name)."""
    for match in (lambda e: e.name == name,
                  lambda e: e.name.casefold() == name.casefold(),
                  lambda e: any(a.casefold() == name.casefold() for a in e.aliases)):
        for i, e in enumerate(entities):
            if match(e):
                return i
    return None


def _merge(into: Entity, other: Entity) -> Entity:
    aliases: list[str] = []
    for alias in (*into.aliases, other.name, *other.aliases):
        if alias != into.name and alias not in aliases:
            aliases.append(alias)
    mentions = tuple(sorted(set(into.mentions) | set(other.mentions)))
    return replace(into, aliases=tuple(aliases), mentions=mentions)


def apply_corrections(entities: Sequence[Entity],
                      fixes: Sequence[EntityCorrection]) -> tuple[list[Entity], dict[str, str]]:
    """The entities after `fixes`, in order, and how names changed: {old name: new name},
    with "" for a removed entity. A fix whose entity is not there is skipped."""
    out = list(entities)
    renamed: dict[str, str] = {}
    for fix in fixes:
        i = _find(out, fix.name)
        if i is None:
            continue
        old = out[i]
        if fix.action == "remove":
            del out[i]
            renamed[old.name] = ""
        elif fix.action == "retype" and fix.kind:
            out[i] = replace(old, kind=fix.kind)
        elif fix.action == "merge" and fix.target:
            j = _find(out, fix.target)
            if j == i:
                continue
            if j is None:
                out[i] = _merge(replace(old, name=fix.target, aliases=()), old)
                renamed[old.name] = fix.target
            else:
                out[j] = _merge(out[j], old)
                renamed[old.name] = out[j].name
                del out[i]
    # A later fix may have renamed a name that an earlier one pointed at: follow the chain.
    for was, now in renamed.items():
        seen = {was}
        while now in renamed and now not in seen:
            seen.add(now)
            now = renamed[now]
        renamed[was] = now
    return out, renamed


def corrected_entities(store: Store, story_id: int) -> list[Entity]:
    """store.entities(story_id) with the reader's corrections applied."""
    return apply_corrections(store.entities(story_id), corrections(store, story_id))[0]
