"""Reading the entity index of the developing story.

    entities(store, kind=None, limit=200, query=None) -> list[IndexedEntity]
    entity_detail(store, key) -> EntityDetail | None
    trends(store, keys, days=30) -> dict[str, list[int]]
    sparkline(counts) -> str

Reads are plain indexed queries, fast enough for a screen to call on the UI thread with
10,000 stories (benchmarks/index.py). Writing the index is `reader.index.build`, the merged
timeline `reader.index.timeline`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reader.index.names import fold, normalise
from reader.index.timeline import MergedFact, merged_timeline
from reader.models import IndexedEntity, Story
from reader.store import Store

__all__ = ["EntityDetail", "IndexedEntity", "entities", "entity_detail", "find_entity", "sparkline",
           "trends"]

_BARS = "▁▂▃▄▅▆▇█"
_DAY = 86400


@dataclass(frozen=True, slots=True)
class EntityDetail:
    """What the entity screen shows for one entity."""

    entity: IndexedEntity
    stories: tuple[Story, ...]  # newest first, at most `story_limit`
    related: tuple[tuple[IndexedEntity, int], ...]  # co-occurring, with shared story count
    facts: tuple[MergedFact, ...]  # the merged timeline filtered to this entity
    daily: dict[int, int]  # UTC day number (unix time // 86400) -> mentions that day
    today: int  # the day trends end on: the newest story's day in the store

    def trend(self, days: int = 30) -> list[int]:
        """Mentions per day over the `days` days ending on `today`, oldest first."""
        return [self.daily.get(day, 0) for day in range(self.today - days + 1, self.today + 1)]


def sparkline(counts: list[int]) -> str:
    """One block character per count, scaled to the largest; zero is the lowest bar."""
    if not counts:
        return ""
    top = max(counts)
    if top <= 0:
        return _BARS[0] * len(counts)
    return "".join(_BARS[min(7, (c * 7 + top - 1) // top)] if c > 0 else _BARS[0]
                   for c in counts)


def entities(store: Store, kind: str | None = None, limit: int = 200,
             query: str | None = None, offset: int = 0) -> list[IndexedEntity]:
    """Entities in the most stories first (then most mentions), optionally of one kind and
    matching `query` (any part of the name or an alias, ignoring case and accents)."""
    # The stored search text holds each form both as written (folded) and normalised.
    search = (fold(query), normalise(query)) if query and fold(query) else ()
    return store.index.indexed_entities(kind=kind, search=search, limit=limit, offset=offset)


def find_entity(store: Store, text: str) -> str | None:
    """The key of the entity called `text` (its key, name or any alias), or None."""
    return store.index.entity_key(text, normalise(text))


def trends(store: Store, keys: list[str], days: int = 30,
           today: int | None = None) -> dict[str, list[int]]:
    """Mentions per day for several entities at once (for a sparkline column): the `days`
    days ending on `today` (default: the newest story's day), oldest first."""
    end = _today(store) if today is None else today
    start = end - days + 1
    daily = store.index.daily_mentions(keys, start, end)
    return {key: [daily[key].get(day, 0) for day in range(start, end + 1)] for key in keys}


def _today(store: Store) -> int:
    newest = store.index.newest_day()
    return newest if newest is not None else int(dt.datetime.now(dt.UTC).timestamp()) // _DAY


def entity_detail(store: Store, key: str, *, story_limit: int = 200, related_limit: int = 20,
                  fact_limit: int = 200) -> EntityDetail | None:
    """An entity's stories (newest first), the entities most often in the same stories, its
    facts on the merged timeline, and its mentions per day. None if the key is unknown."""
    entity = store.index.indexed_entity(key)
    if entity is None:
        return None
    facts = tuple(merged_timeline(store, entity=key, limit=fact_limit, newest_first=True))
    return EntityDetail(entity=entity, stories=tuple(store.index.entity_stories(key, story_limit)),
                        related=tuple(store.index.related_entities(key, related_limit)),
                        facts=facts, daily=store.index.daily_mentions([key])[key],
                        today=_today(store))
