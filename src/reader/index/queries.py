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
import json
from dataclasses import dataclass

from reader.index.names import fold, normalise
from reader.index.timeline import MergedFact, merged_timeline
from reader.models import IndexedEntity, Story
from reader.store import Store

__all__ = ["EntityDetail", "IndexedEntity", "entities", "entity_detail", "find_entity", "sparkline",
           "trends"]

KINDS = ("person", "place", "organization")
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


def _time(value: int | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


_ENTITY_COLUMNS = "key, name, kind, aliases, stories, mentions, first_seen, last_seen"


def _entity(row: tuple) -> IndexedEntity:
    key, name, kind, aliases, stories, mentions, first, last = row
    return IndexedEntity(key=key, name=name, kind=kind, aliases=tuple(json.loads(aliases)),
                         stories=stories, mentions=mentions,
                         first_seen=_time(first), last_seen=_time(last))


def entities(store: Store, kind: str | None = None, limit: int = 200,
             query: str | None = None, offset: int = 0) -> list[IndexedEntity]:
    """Entities in the most stories first (then most mentions), optionally of one kind and
    matching `query` (any part of the name or an alias, ignoring case and accents)."""
    clauses: list[str] = []
    params: list[object] = []
    if kind:
        clauses.append("kind = ?")
        params.append(kind)
    if query and fold(query):
        # The stored search text holds each form both as written (folded) and normalised.
        clauses.append("(instr(search, ?) > 0 OR instr(search, ?) > 0)")
        params += [fold(query), normalise(query)]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = store.db.query(
        f"SELECT {_ENTITY_COLUMNS} FROM entity_index {where}"
        " ORDER BY stories DESC, mentions DESC, key LIMIT ? OFFSET ?", (*params, limit, offset))
    return [_entity(tuple(r)) for r in rows]


def find_entity(store: Store, text: str) -> str | None:
    """The key of the entity called `text` (its key, name or any alias), or None."""
    rows = store.db.query("SELECT key FROM entity_index WHERE key = ?", (text,))
    if rows:
        return str(rows[0][0])
    rows = store.db.query(
        "SELECT a.key FROM entity_alias a JOIN entity_index e ON e.key = a.key WHERE a.norm = ?",
        (normalise(text),))
    return str(rows[0][0]) if rows else None


def trends(store: Store, keys: list[str], days: int = 30,
           today: int | None = None) -> dict[str, list[int]]:
    """Mentions per day for several entities at once (for a sparkline column): the `days`
    days ending on `today` (default: the newest story's day), oldest first."""
    end = _today(store) if today is None else today
    start = end - days + 1
    out = {key: [0] * days for key in keys}
    if not keys:
        return out
    marks = ",".join("?" * len(keys))
    for key, day, n in store.db.query(
        f"SELECT key, day, sum(mentions) FROM entity_story WHERE day BETWEEN ? AND ?"
        f" AND key IN ({marks}) GROUP BY key, day", (start, end, *keys)):
        out[key][day - start] = n
    return out


def _today(store: Store) -> int:
    rows = store.db.query("SELECT max(day) FROM entity_story")
    return int(rows[0][0]) if rows and rows[0][0] is not None else int(
        dt.datetime.now(dt.UTC).timestamp()) // _DAY


def entity_detail(store: Store, key: str, *, story_limit: int = 200, related_limit: int = 20,
                  fact_limit: int = 200) -> EntityDetail | None:
    """An entity's stories (newest first), the entities most often in the same stories, its
    facts on the merged timeline, and its mentions per day. None if the key is unknown."""
    rows = store.db.query(f"SELECT {_ENTITY_COLUMNS} FROM entity_index WHERE key = ?", (key,))
    if not rows:
        return None
    entity = _entity(tuple(rows[0]))
    story_rows = store.db.query(
        "SELECT s.id, s.feed_id, f.title AS feed_title, s.title, s.url, s.published, s.author,"
        " s.read, s.starred, s.fetched FROM entity_story es JOIN stories s ON s.id = es.story_id"
        " JOIN feeds f ON f.id = s.feed_id WHERE es.key = ?"
        " ORDER BY es.published DESC, s.id DESC LIMIT ?", (key, story_limit))
    stories = tuple(
        Story(id=r["id"], feed_id=r["feed_id"], feed_title=r["feed_title"] or "",
              title=r["title"], url=r["url"], published=_time(r["published"]),
              author=r["author"], read=bool(r["read"]), starred=bool(r["starred"]),
              fetched=_time(r["fetched"]))
        for r in story_rows)
    related_rows = store.db.query(
        f"SELECT {', '.join('e.' + c for c in _ENTITY_COLUMNS.split(', '))}, shared FROM"
        " (SELECT b.key AS other, count(*) AS shared FROM entity_story a"
        "  JOIN entity_story b ON b.story_id = a.story_id AND b.key != a.key"
        "  WHERE a.key = ? GROUP BY b.key ORDER BY shared DESC, b.key LIMIT ?)"
        " JOIN entity_index e ON e.key = other ORDER BY shared DESC, e.stories DESC, e.key",
        (key, related_limit))
    related = tuple((_entity(tuple(r)[:-1]), int(r["shared"])) for r in related_rows)
    daily = {int(day): int(n) for day, n in store.db.query(
        "SELECT day, sum(mentions) FROM entity_story WHERE key = ? GROUP BY day", (key,))}
    facts = tuple(merged_timeline(store, entity=key, limit=fact_limit, newest_first=True))
    return EntityDetail(entity=entity, stories=stories, related=related, facts=facts,
                        daily=daily, today=_today(store))
