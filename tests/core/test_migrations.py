"""Old and damaged caches: a version-1 database with a reader's data, opened by today's code,
and a cache whose index tables are gone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.index.build import update_index
from reader.index.queries import entities
from reader.index.timeline import merged_timeline, timeline_page
from reader.store import Store
from reader.store.db import split_statements
from reader.store.places import PlaceFilter
from reader.store.schema import MIGRATIONS

PUBLISHED = 1662800000  # 2022-09-10 08:53 UTC
BODY = ("Ukrainian forces raised the flag over Balakliya on Saturday, Oleh Synyehubov said. "
        "Fighting continued near Izium.")


def _version_1(path: Path) -> None:
    """The cache as the first release left it: schema 1 only, with rows a reader had."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in split_statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO feeds (id, url, title, site_url, etag, last_modified, last_checked, added)"
        " VALUES (1, 'https://news.example/feed.xml', 'Kharkiv Dispatch',"
        " 'https://news.example/', '\"v1\"', 'Sat, 10 Sep 2022 09:00:00 GMT', ?, ?)",
        (PUBLISHED + 600, PUBLISHED - 86400))
    conn.execute(
        "INSERT INTO feeds (id, url, title, full_text, added) VALUES"
        " (2, 'https://other.example/rss', 'Other', 0, ?)", (PUBLISHED - 86400,))
    conn.execute(
        "INSERT INTO stories (id, feed_id, guid, title, url, published, author, body,"
        " full_text, page_state, analysed, read, starred, scroll, fetched) VALUES"
        " (1, 1, 'g1', 'Flag raised over Balakliya', 'https://news.example/balakliya', ?,"
        " 'A. Reporter', ?, 1, 2, 1, 1, 1, 0.4, ?)", (PUBLISHED, BODY, PUBLISHED + 600))
    conn.execute(
        "INSERT INTO stories (id, feed_id, guid, title, url, published, body, fetched) VALUES"
        " (2, 2, 'g2', 'Unread elsewhere', 'https://other.example/2', NULL, 'Short.', ?)",
        (PUBLISHED + 700,))
    conn.executemany(
        "INSERT INTO story_entities (story_id, rank, name, kind, aliases, mentions, count)"
        " VALUES (1, ?, ?, ?, ?, ?, ?)",
        [(0, "Balakliya", "place", "[]", json.dumps([[38, 47]]), 1),
         (1, "Oleh Synyehubov", "person", json.dumps(["Synyehubov"]), json.dumps([[63, 78]]), 1),
         (2, "Izium", "place", "[]", json.dumps([[107, 112]]), 1)])
    conn.execute(
        "INSERT INTO story_facts (story_id, position, date, span_start, span_end, sentence,"
        " entities, relative) VALUES (1, 0, '2022-09-10', 48, 59, ?, ?, 1)",
        (BODY.split(" Fighting")[0], json.dumps(["Balakliya", "Oleh Synyehubov"])))
    conn.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master"
                                   " WHERE name NOT LIKE 'sqlite_%'"))
    finally:
        conn.close()


def test_a_version_1_cache_upgrades_with_everything_kept(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    _version_1(old)
    with Store(old) as store:
        assert store.db.conn().execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)

        feed, other = store.feeds()
        assert (feed.title, feed.site_url, feed.unread, feed.total) == (
            "Kharkiv Dispatch", "https://news.example/", 0, 1)
        assert store.fetch_state(feed.id) == ('"v1"', "Sat, 10 Sep 2022 09:00:00 GMT")
        assert (other.full_text, other.unread) == (False, 1)

        body = store.body(1)
        assert body is not None and body.markdown == BODY and body.scroll == 0.4
        assert body.full_text and body.story.starred and body.story.read
        assert body.story.published is not None
        assert int(body.story.published.timestamp()) == PUBLISHED
        assert [s.id for s in store.search("balakliya flag")] == [1]  # the FTS index came too
        assert [e.name for e in store.entities(1)] == ["Balakliya", "Oleh Synyehubov", "Izium"]
        assert store.entities(1)[1].aliases == ("Synyehubov",)
        assert [f.date for f in store.timeline(1)] == ["2022-09-10"]
        assert store.count_stories(starred=True) == 1  # migration 5's index

        # What later migrations added works on the old rows.
        assert store.add_tag(1, "Kharkiv") == "Kharkiv"
        assert store.add_note(1, "Check the date.").text == "Check the date."
        store.remove_entity(1, "Izium")
        assert update_index(store) == 1
        assert {e.name for e in entities(store)} == {"Balakliya", "Oleh Synyehubov"}
        assert [m.sentence for m in merged_timeline(store)] == [store.timeline(1)[0].sentence]

    fresh = tmp_path / "fresh.sqlite3"
    Store(fresh).close()
    assert _schema(old) == _schema(fresh)  # the upgraded schema is the one a new cache gets


def test_every_read_reaches_the_reader_as_a_store_error(tmp_path: Path) -> None:
    """A damaged cache: the lazy timeline read and the index reads fail in the reader's
    words, not with a raw sqlite3 error."""
    path = tmp_path / "damaged.sqlite3"
    with Store(path) as store:
        update_index(store)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE fact_index")
    conn.execute("DROP TABLE entity_index")
    conn.close()
    with Store(path) as store:
        for read in (lambda: merged_timeline(store), lambda: timeline_page(store, size=10),
                     lambda: entities(store), lambda: store.places.place_counts(PlaceFilter())):
            with pytest.raises(StoreError, match="cache"):
                read()
