"""The merged timeline: dated facts from every story in date order, near-duplicates folded.

Which facts are one event is decided once, when stories are indexed (reader.index.events
holds the rule). Reading is an ordered scan of an index by date that stops as soon as the
requested number of entries is complete, so a page of the timeline costs what it shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from reader.index.dates import bound, period_start
from reader.index.names import normalise
from reader.store import Store
from reader.store.rows import FactRow, from_ts


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
    facts = _rows(store, entity, feed_id, since, until, None, newest_first)
    if facts is None:
        return []
    out: list[MergedFact] = []
    for _, group in _groups(facts):
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
    facts = _rows(store, entity, feed_id, since, until, after, newest_first)
    if facts is None:
        return [], None
    out: list[MergedFact] = []
    for skey, group in _groups(facts):
        out += _fold(group)
        if len(out) >= size:
            return out, skey
    return out, None


def _rows(store: Store, entity: str | None, feed_id: int | None, since: str | None,
          until: str | None, after: str | None, newest_first: bool) -> Iterator[FactRow] | None:
    """The timeline's facts for these filters in date order, or None when `entity` is
    unknown."""
    key = None
    if entity is not None:
        key = store.index.entity_key(entity, normalise(entity))
        if key is None:
            return None
    return store.index.fact_rows(key=key, feed_id=feed_id,
                           low=bound(since, upper=False) if since else None,
                           high=bound(until, upper=True) if until else None,
                           after=after, newest_first=newest_first)


def _groups(facts: Iterator[FactRow]) -> Iterator[tuple[str, list[FactRow]]]:
    """(sort key, facts) of one date value at a time, read lazily so a limit stops the query
    early."""
    for skey, group in itertools.groupby(facts, key=lambda f: f.sort_key):
        yield skey, list(group)


def _fold(facts: list[FactRow]) -> list[MergedFact]:
    """The facts of one date value as events, the earliest reported first."""
    facts.sort(key=lambda f: (f.published or 0, f.story_id, f.position))
    events: dict[int, list[FactRow]] = {}
    for fact in facts:
        members = events.setdefault(fact.event, [])
        if not any(m.story_id == fact.story_id and m.sentence == fact.sentence
                   for m in members):
            members.append(fact)  # a story repeating a sentence is one source
    return [_merged(members) for members in events.values()]


def _merged(members: list[FactRow]) -> MergedFact:
    first = members[0]
    sources = tuple(
        FactSource(story_id=f.story_id, feed_title=f.feed_title, story_title=f.story_title,
                   sentence=f.sentence, span=f.span, feed_id=f.feed_id, position=f.position,
                   published=from_ts(f.published))
        for f in members)
    names: dict[str, str] = {}
    for f in members:
        for name in f.entities:
            names.setdefault(normalise(name), name)
    return MergedFact(date=first.date, start=period_start(first.date) or dt.date.min,
                      sentence=first.sentence, sources=sources,
                      outlets=len({s.feed_id for s in sources}), entities=tuple(names.values()))
