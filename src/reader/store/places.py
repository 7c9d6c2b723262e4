"""The store's part of the map: how often each place of the entity index is reported, over
any span of days, within the map's filters.

Which names are places and where they lie is reader.geo's business; here a place is an entity
the index counts as one (entity_index.kind), and a day is a UTC day number (unix time //
86400) as entity_story stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.store.db import Database


@dataclass(frozen=True, slots=True)
class PlaceFilter:
    """Which stories' places count: those naming entity `key`, from feed `feed_id`, and
    indexed on a day from `first_day` to `last_day` (inclusive); None is no limit."""

    key: str | None = None
    feed_id: int | None = None
    first_day: int | None = None
    last_day: int | None = None

    def sql(self) -> tuple[str, list[object]]:
        clauses = ["es.key IN (SELECT key FROM entity_index WHERE kind = 'place')"]
        params: list[object] = []
        if self.key is not None:
            clauses.append("es.story_id IN (SELECT story_id FROM entity_story WHERE key = ?)")
            params.append(self.key)
        if self.feed_id is not None:
            clauses.append("es.story_id IN (SELECT id FROM stories WHERE feed_id = ?)")
            params.append(self.feed_id)
        if self.first_day is not None:
            clauses.append("es.day >= ?")
            params.append(self.first_day)
        if self.last_day is not None:
            clauses.append("es.day <= ?")
            params.append(self.last_day)
        return " AND ".join(clauses), params


class PlaceStore:
    """Store.places, made on first use: only the maps need it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def place_counts(self, where: PlaceFilter, days: tuple[int, int] | None = None
                     ) -> dict[str, tuple[int, int, int]]:
        """key -> (stories, first day, last day) of each place within the filter, and
        between the two `days` (inclusive) when given."""
        sql, params = where.sql()
        if days is None:
            found = self.db.query(
                "SELECT es.key, count(*), min(es.day), max(es.day) FROM entity_story es"
                f" WHERE {sql} GROUP BY es.key", params)
        else:
            # A window of days is a range on the by-day index whatever else filters.
            found = self.db.query(
                "SELECT es.key, count(*), min(es.day), max(es.day)"
                " FROM entity_story es INDEXED BY entity_story_by_day"
                f" WHERE es.day BETWEEN ? AND ? AND {sql} GROUP BY es.key", (*days, *params))
        return {k: (int(n), int(a), int(b)) for k, n, a, b in found}

    def entity_names(self, keys: Sequence[str]) -> dict[str, str]:
        """key -> display name of these index entities (unknown keys left out)."""
        names: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for key, name in self.db.query(
                    f"SELECT key, name FROM entity_index"
                    f" WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                names[key] = name
        return names

    def place_stories(self, where: PlaceFilter, key: str, first_day: int, last_day: int,
                      limit: int = 200) -> list[int]:
        """Ids of the stories within the filter naming place `key` between two days,
        newest first."""
        sql, params = where.sql()
        found = self.db.query(
            f"SELECT es.story_id FROM entity_story es WHERE {sql} AND es.key = ?"
            " AND es.day BETWEEN ? AND ? ORDER BY es.published DESC LIMIT ?",
            (*params, key, first_day, last_day, limit))
        return [int(r[0]) for r in found]

    def index_version(self) -> tuple[int, int | None]:
        """(stories indexed, newest of them): changes whenever the index does."""
        row = self.db.query("SELECT count(*), max(story_id) FROM indexed_stories")[0]
        return int(row[0]), row[1]
