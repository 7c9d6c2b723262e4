"""The merged timeline: dated facts from every story in date order, near-duplicates folded.

Which facts are one event is decided once, when stories are indexed (story_index_events
holds the rule). Reading is an ordered scan of an index by date that stops as soon as the
requested number of entries is complete, so a page of the timeline costs what it shows.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from reader.errors import StoreError
from reader.index.dates import bound, period_start
from reader.index.names import normalise
from reader.store import Store


@dataclass(frozen=True, slots=True)
class FactSource:
    """One story's telling of a fact: enough for the UI to open the story at the sentence."""

    story_id: int
    feed_title: str
    story_title: str
    sentence: str
    span: tuple[int, int]  # the date expression's offsets in the story body
    feed_id: int
    position: int  # the fact's index in Store.timeline(story_id)
    published: dt.datetime | None


@dataclass(frozen=True, slots=True)
class MergedFact:
    """One event on the merged timeline, as reported by one or more stories."""

    date: str  # TimeML value: "2022-09-10", "2022-09", "2022-W36", "2022-Q3" ...
    start: dt.date  # the first day of that period
    sentence: str  # the earliest report's sentence
    sources: tuple[FactSource, ...]  # earliest published first
    outlets: int  # distinct feeds among the sources
    entities: tuple[str, ...]


def merged_timeline(store: Store, *, entity: str | None = None, feed_id: int | None = None,
                    since: str | None = None, until: str | None = None,
                    limit: int | None = None, newest_first: bool = False) -> list[MergedFact]:
    """Facts with calendar dates from every indexed story, oldest event first (or newest),
    near-duplicates folded into one entry listing every source.

    `entity` is an entity key (or a name or alias of one) and keeps facts naming it;
    `feed_id` keeps facts from that feed's stories; `since`/`until` are ISO dates or
    prefixes ("2022", "2022-09") compared with the start of each fact's period, inclusive.
    `limit` caps the number of entries; reading stops as soon as it is reached.
    """
    sql = _sql(store, entity, feed_id, since, until, None, newest_first)
    if sql is None:
        return []
    out: list[MergedFact] = []
    for _, group in _groups(store, *sql):
        out += _fold(group)
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def timeline_page(store: Store, *, size: int, after: str | None = None,
                  entity: str | None = None, feed_id: int | None = None,
                  since: str | None = None, until: str | None = None,
                  newest_first: bool = False) -> tuple[list[MergedFact], str | None]:
    """One page of the merged timeline for a screen that loads more as the reader scrolls:
    at least `size` entries (a date is never split across pages) whose dates come after
    the cursor `after`, and the cursor for the next page (None at the end). Filters as
    merged_timeline."""
    sql = _sql(store, entity, feed_id, since, until, after, newest_first)
    if sql is None:
        return [], None
    out: list[MergedFact] = []
    for skey, group in _groups(store, *sql):
        out += _fold(group)
        if len(out) >= size:
            return out, skey
    return out, None


def _sql(store: Store, entity: str | None, feed_id: int | None, since: str | None,
         until: str | None, after: str | None, newest_first: bool
         ) -> tuple[str, tuple[object, ...]] | None:
    """The timeline query for these filters, or None when `entity` is unknown."""
    if entity is not None:
        key = _entity_key(store, entity)
        if key is None:
            return None
    clauses: list[str] = []
    params: list[object] = []
    if entity is not None:
        source = ("fact_entity x JOIN fact_index fi ON fi.story_id = x.story_id"
                  " AND fi.position = x.position")
        event = "fi.event"
        clauses.append("x.key = ?")
        params.append(key)
        if feed_id is not None:
            clauses.append("fi.feed_id = ?")
            params.append(feed_id)
    else:
        source, event = "fact_index x", "x.event"
        if feed_id is not None:
            clauses.append("x.feed_id = ?")
            params.append(feed_id)
    if since:
        clauses.append("x.sort_key >= ?")
        params.append(bound(since, upper=False))
    if until:
        clauses.append("x.sort_key < ?")
        params.append(bound(until, upper=True))
    if after is not None:
        clauses.append(f"x.sort_key {'<' if newest_first else '>'} ?")
        params.append(after)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (
        "SELECT x.sort_key, sf.date, sf.sentence, sf.span_start, sf.span_end, sf.entities,"
        " x.story_id, x.position, s.feed_id, f.title, s.title,"
        f" coalesce(s.published, s.fetched), {event}"
        f" FROM {source} CROSS JOIN story_facts sf ON sf.story_id = x.story_id"
        " AND sf.position = x.position CROSS JOIN stories s ON s.id = x.story_id"
        f" CROSS JOIN feeds f ON f.id = s.feed_id {where}"
        f" ORDER BY x.sort_key {'DESC' if newest_first else 'ASC'}"
    )
    return sql, tuple(params)


def _entity_key(store: Store, text: str) -> str | None:
    if store.db.query("SELECT 1 FROM entity_index WHERE key = ?", (text,)):
        return text
    rows = store.db.query("SELECT key FROM entity_alias WHERE norm = ?", (normalise(text),))
    return str(rows[0][0]) if rows else None


def _groups(store: Store, sql: str, params: tuple[object, ...]
            ) -> Iterator[tuple[str, list[tuple]]]:
    """(sort key, rows) of one date value at a time, read lazily so a limit stops the query
    early."""
    group: list[tuple] = []
    current = ""
    try:
        cursor = store.db.conn().execute(sql, params)
        for row in cursor:
            if row[0] != current and group:
                yield current, group
                group = []
            current = row[0]
            group.append(tuple(row))
        cursor.close()
    except sqlite3.Error as exc:
        raise StoreError(f"The timeline could not be read: {exc}") from None
    if group:
        yield current, group


def _time(value: int | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


def _fold(rows: list[tuple]) -> list[MergedFact]:
    """The facts of one date value as events, the earliest reported first."""
    rows.sort(key=lambda r: (r[11] or 0, r[6], r[7]))
    events: dict[int, list[tuple]] = {}
    for row in rows:
        members = events.setdefault(row[12], [])
        if not any(m[6] == row[6] and m[2] == row[2] for m in members):
            members.append(row)  # a story repeating a sentence is one source
    return [_merged(members) for members in events.values()]


def _merged(members: list[tuple]) -> MergedFact:
    first = members[0]
    sources = tuple(
        FactSource(story_id=r[6], feed_title=r[9] or "", story_title=r[10], sentence=r[2],
                   span=(r[3], r[4]), feed_id=r[8], position=r[7], published=_time(r[11]))
        for r in members)
    names: dict[str, str] = {}
    for r in members:
        for name in json.loads(r[5]):
            names.setdefault(normalise(name), name)
    return MergedFact(date=first[1], start=period_start(first[1]) or dt.date.min,
                      sentence=first[2], sources=sources,
                      outlets=len({s.feed_id for s in sources}), entities=tuple(names.values()))
