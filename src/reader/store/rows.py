"""Rows of the cache as the models the rest of warreader uses: every mapping written once.

Times are stored as whole seconds since the epoch (UTC); `to_ts` and `from_ts` are the only
conversions between the two.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from reader.models import (
    Entity,
    EntityCorrection,
    Feed,
    Highlight,
    IndexedEntity,
    Note,
    Story,
    TimelineFact,
)


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
    f.id, f.url, f.title, f.site_url, f.full_text, f.is_page_list, f.last_checked, f.last_error,
    (SELECT count(*) FROM stories s WHERE s.feed_id = f.id AND s.read = 0) AS unread,
    (SELECT count(*) FROM stories s WHERE s.feed_id = f.id) AS total
"""
# Stories are always read joined with their feed (`s` and `f`) for the feed's title.
STORY_COLUMNS = """
    s.id, s.feed_id, f.title AS feed_title, s.title, s.url, s.published, s.author,
    s.read, s.starred, s.fetched
"""
INDEXED_ENTITY_COLUMNS = ("e.key, e.name, e.kind, e.aliases, e.stories, e.mentions,"
                          " e.first_seen, e.last_seen")


def feed(row: sqlite3.Row) -> Feed:
    return Feed(
        id=row["id"], url=row["url"], title=row["title"] or row["url"],
        site_url=row["site_url"], full_text=bool(row["full_text"]),
        last_checked=from_ts(row["last_checked"]), last_error=row["last_error"],
        unread=row["unread"], total=row["total"], is_page_list=bool(row["is_page_list"]),
    )


def story(row: sqlite3.Row) -> Story:
    return Story(
        id=row["id"], feed_id=row["feed_id"], feed_title=row["feed_title"] or "",
        title=row["title"], url=row["url"], published=from_ts(row["published"]),
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
    return EntityCorrection(id=row["id"], story_id=row["story_id"], name=row["name"],
                            action=row["action"], kind=row["kind"], target=row["target"],
                            created=from_ts(row["created"]))


def indexed_entity(row: sqlite3.Row) -> IndexedEntity:
    return IndexedEntity(key=row["key"], name=row["name"], kind=row["kind"],
                         aliases=tuple(json.loads(row["aliases"])), stories=row["stories"],
                         mentions=row["mentions"], first_seen=from_ts(row["first_seen"]),
                         last_seen=from_ts(row["last_seen"]))
