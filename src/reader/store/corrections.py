"""The reader's corrections to a story's extracted entities: remove, retype, merge.

Corrections are stored apart from the analysis and applied whenever entities are read, so
they survive a re-analysis of the story (which rewrites story_entities). Applying them is
pure logic (reader.corrections).
"""

from __future__ import annotations

import time

from reader.models import CorrectionAction, Entity, EntityCorrection
from reader.store import rows
from reader.store.base import StoreBase
from reader.store.stories import StoriesMixin
from reader.text import clean_line

KIND_LIMIT = 40


class CorrectionsMixin(StoriesMixin, StoreBase):
    def _add_correction(self, story_id: int, name: str, action: CorrectionAction,
                        kind: str | None = None, target: str | None = None) -> EntityCorrection:
        entity = clean_line(name, 200)
        if not entity:
            raise ValueError("Which entity? The name is empty.")
        with self.db.transaction() as conn:
            self._require_story(conn, story_id)
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
        return rows.correction(row)

    def remove_entity(self, story_id: int, name: str) -> EntityCorrection:
        """Drop a wrongly extracted entity from a story, now and after any re-analysis."""
        return self._add_correction(story_id, name, "remove")

    def retype_entity(self, story_id: int, name: str, kind: str) -> EntityCorrection:
        """Give an entity another kind ("person", "place", "organization", or any short word)."""
        cleaned = clean_line(kind, KIND_LIMIT).lower()
        if not cleaned:
            raise ValueError("The new kind is empty.")
        return self._add_correction(story_id, name, "retype", kind=cleaned)

    def merge_entities(self, story_id: int, name: str, into: str) -> EntityCorrection:
        """Fold entity `name` into entity `into`: its spellings become aliases, its mentions
        join. When no entity is called `into`, `name` is renamed to it (keeping the old name as
        alias)."""
        target = clean_line(into, 200)
        if not target or target == clean_line(name, 200):
            raise ValueError("Merge an entity into a different one.")
        return self._add_correction(story_id, name, "merge", target=target)

    def corrections(self, story_id: int) -> list[EntityCorrection]:
        """A story's entity corrections in the order they are applied."""
        found = self.db.query("SELECT * FROM entity_corrections WHERE story_id = ? ORDER BY id",
                              (story_id,))
        return [rows.correction(r) for r in found]

    def undo_correction(self, correction_id: int) -> bool:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM entity_corrections WHERE id = ?",
                                (correction_id,)).rowcount > 0

    def corrected_entities(self, story_id: int) -> list[Entity]:
        """The story's entities with the reader's corrections applied."""
        # Imported when a story is opened: opening the store at start-up does not need it.
        from reader.corrections import apply_corrections

        return apply_corrections(self.entities(story_id), self.corrections(story_id))[0]
