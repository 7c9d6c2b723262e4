"""Rows of the cache as the models the rest of warreader uses: every mapping written once.

Times are stored as whole seconds since the epoch (UTC); `to_ts` and `from_ts` are the only
conversions between the two.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import NamedTuple

from reader.models import (
    CorrectionAction,
    Entity,
    EntityCorrection,
    Feed,
    Highlight,
    IndexedEntity,
    Note,
    Story,
    TimelineFact,
)
from reader.text import clean_line, url_name


def to_ts(value: dt.datetime | None) -> int | None:
    """A datetime as stored; a naive one is taken to be UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def from_ts(value: int | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


FEED_COLUMNS = """
    f.id, f.url, coalesce(nullif(f.user_title, ''), f.title) AS title, f.site_url, f.full_text,
    f.is_page_list, f.last_checked, f.last_error,
    (SELECT count(*) FROM stories s WHERE s.feed_id = f.id AND s.read = 0) AS unread,
    (SELECT count(*) FROM stories s WHERE s.feed_id = f.id) AS total
"""
# Stories are always read joined with their feed (`s` and `f`) for the feed's title.
STORY_COLUMNS = """
    s.id, s.feed_id, coalesce(nullif(f.user_title, ''), f.title) AS feed_title, f.url AS feed_url,
    s.title, s.url, s.published, s.author,
    s.read, s.starred, s.fetched
"""
INDEXED_ENTITY_COLUMNS = ("e.key, e.name, e.kind, e.aliases, e.stories, e.mentions,"
                          " e.first_seen, e.last_seen")


# Titles are cleaned when stored; cleaning them again when read costs microseconds and
# keeps a cache written by an older warreader (bidi overrides, zero-width characters) from
# misaligning rows or reordering what the reader sees.

def feed(row: sqlite3.Row) -> Feed:
    return Feed(
        id=row["id"], url=row["url"], title=clean_line(row["title"]) or url_name(row["url"]),
        site_url=row["site_url"], full_text=bool(row["full_text"]),
        last_checked=from_ts(row["last_checked"]), last_error=row["last_error"],
        unread=row["unread"], total=row["total"], is_page_list=bool(row["is_page_list"]),
    )


def story(row: sqlite3.Row) -> Story:
    return Story(
        id=row["id"], feed_id=row["feed_id"],
        feed_title=clean_line(row["feed_title"]) or url_name(row["feed_url"]),
        title=clean_line(row["title"]), url=row["url"], published=from_ts(row["published"]),
        author=row["author"], read=bool(row["read"]), starred=bool(row["starred"]),
        fetched=from_ts(row["fetched"]),
    )


def entity(row: sqlite3.Row) -> Entity:
    """A story's entity as extracted (story_entities)."""
    return Entity(name=row["name"], kind=row["kind"], aliases=tuple(json.loads(row["aliases"])),
                  mentions=tuple((a, b) for a, b in json.loads(row["mentions"])))


def fact(row: sqlite3.Row) -> TimelineFact:
    return TimelineFact(date=row["date"], span=(row["span_start"], row["span_end"]),
                        sentence=row["sentence"], entities=tuple(json.loads(row["entities"])),
                        relative=bool(row["relative"]))


def note(row: sqlite3.Row) -> Note:
    return Note(id=row["id"], story_id=row["story_id"], text=row["text"], quote=row["quote"],
                quote_start=row["quote_start"], quote_end=row["quote_end"],
                created=from_ts(row["created"]), updated=from_ts(row["updated"]))


def highlight(row: sqlite3.Row) -> Highlight:
    return Highlight(id=row["id"], story_id=row["story_id"], start=row["start"], end=row["end"],
                     text=row["text"], created=from_ts(row["created"]))


def correction(row: sqlite3.Row) -> EntityCorrection:
    action: CorrectionAction = row["action"]  # written only by Store._add_correction
    return EntityCorrection(id=row["id"], story_id=row["story_id"], name=row["name"],
                            action=action, kind=row["kind"], target=row["target"],
                            created=from_ts(row["created"]))


def indexed_entity(row: sqlite3.Row) -> IndexedEntity:
    return IndexedEntity(key=row["key"], name=row["name"], kind=row["kind"],
                         aliases=tuple(json.loads(row["aliases"])), stories=row["stories"],
                         mentions=row["mentions"], first_seen=from_ts(row["first_seen"]),
                         last_seen=from_ts(row["last_seen"]))


# The index's own rows (reader.store.index) -------------------------------------------------
# Named tuples, not dataclasses: read-only rows, and a dataclass costs ten times as much to
# define, which every start of the reader would pay for these.

class StoryToIndex(NamedTuple):
    id: int
    feed_id: int
    published: int  # seconds; the fetch time when the feed gave no date


class ExtractedEntity(NamedTuple):
    """One entity of a story as the extraction stored it (story_entities)."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: int  # times it is mentioned (story_entities.count)


class StoredFact(NamedTuple):
    position: int
    date: str
    sentence: str
    entities: tuple[str, ...]


class FactRow(NamedTuple):
    """One fact of the fact index with its story, as the merged timeline reads it."""

    sort_key: str
    date: str
    sentence: str
    span: tuple[int, int]
    entities: tuple[str, ...]
    story_id: int
    position: int
    feed_id: int
    feed_title: str
    story_title: str
    published: int | None  # seconds; the fetch time when the feed gave no date
    event: int


def story_to_index(row: sqlite3.Row) -> StoryToIndex:
    return StoryToIndex(row["id"], row["feed_id"], int(row["published"] or 0))


def extracted_entity(row: sqlite3.Row) -> ExtractedEntity:
    return ExtractedEntity(row["name"], row["kind"], tuple(json.loads(row["aliases"])),
                           int(row["count"]))


def stored_fact(row: sqlite3.Row) -> StoredFact:
    return StoredFact(row["position"], row["date"], row["sentence"],
                      tuple(json.loads(row["entities"])))


def fact_row(row: sqlite3.Row) -> FactRow:
    return FactRow(sort_key=row["sort_key"], date=row["date"], sentence=row["sentence"],
                   span=(row["span_start"], row["span_end"]),
                   entities=tuple(json.loads(row["entities"])), story_id=row["story_id"],
                   position=row["position"], feed_id=row["feed_id"],
                   feed_title=row["feed_title"] or "", story_title=row["title"],
                   published=row["published"], event=row["event"])
