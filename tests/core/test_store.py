"""The SQLite cache on a real file: schema, stories, search, reading state, analysis."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.models import Entity, ParsedEntry, TimelineFact
from reader.store import Store, fts_query


def _entries(n: int, prefix: str = "s") -> list[ParsedEntry]:
    base = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)
    return [
        ParsedEntry(guid=f"{prefix}{i}", title=f"Story {prefix}{i} about Izyum",
                    url=f"http://127.0.0.1/{prefix}{i}", published=base + dt.timedelta(hours=i))
        for i in range(n)
    ]


def test_schema_is_versioned_and_wal(store: Store) -> None:
    conn = store.db.conn()
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_entries_dedupes_and_records_validators(store: Store) -> None:
    feed = store.add_feed("http://127.0.0.1/feed.xml")
    entries = _entries(3)
    new = store.store_entries(feed.id, entries, ["body"] * 3, feed_title="Wire",
                              etag='"e1"', last_modified="Mon", want_pages=True)
    assert len(new) == 3
    again = store.store_entries(feed.id, entries, ["body"] * 3, etag='"e2"')
    assert again == []
    assert store.fetch_state(feed.id) == ('"e2"', None)
    feeds = store.feeds()
    assert feeds[0].title == "Wire" and feeds[0].unread == 3 and feeds[0].total == 3
    assert len(store.pending_pages()) == 3
    # newest first
    assert next(s.title for s in store.stories()) == "Story s2 about Izyum"


def test_untrusted_titles_are_cleaned(store: Store) -> None:
    feed = store.add_feed("http://x/feed")
    entry = ParsedEntry(guid="g", title="\x1b[2JHello\x07 [bold]world[/bold]", url=None,
                        published=None)
    store.store_entries(feed.id, [entry], ["text\x1b]0;pwned\x07 here"])
    story = store.stories()[0]
    assert story.title == "Hello [bold]world[/bold]"
    body = store.body(story.id)
    assert body is not None and "\x1b" not in body.markdown and "\x07" not in body.markdown


def test_search_is_safe_and_ranked(store: Store) -> None:
    feed = store.add_feed("http://x/feed")
    entries = _entries(2)
    store.store_entries(feed.id, entries, ["Kupyansk was retaken", "Nothing here"])
    found = store.search("kupyan")
    assert len(found) == 1 and found[0].title == "Story s0 about Izyum"
    assert len(store.search("izyum")) == 2
    for hostile in ['"', "NEAR(", "a OR", "*", "title:x", "') DROP TABLE stories; --"]:
        store.search(hostile)  # must not raise
    assert fts_query('say "hi"') == '"say" "hi"*'


def test_page_and_analysis_roundtrip(store: Store) -> None:
    feed = store.add_feed("http://x/feed")
    [sid] = store.store_entries(feed.id, _entries(1), ["summary"], want_pages=True)
    assert store.pending_analysis() == []  # waits for its page
    store.store_page(sid, markdown="# Full\n\nKupyansk text", author="A. Writer")
    body = store.body(sid)
    assert body is not None and body.full_text and body.markdown.startswith("# Full")
    assert store.search("kupyansk")[0].id == sid  # FTS follows body updates
    [(pid, _text, published)] = store.pending_analysis()
    assert pid == sid and published is not None
    ents = [Entity(name="Kupyansk", kind="place", aliases=("Kupiansk",), mentions=((10, 18),))]
    facts = [TimelineFact(date="2022-09-10", span=(0, 4), sentence="On Sept. 10 ...",
                          entities=("Kupyansk",), relative=True)]
    store.store_analysis(sid, ents, facts)
    assert store.entities(sid) == ents and store.timeline(sid) == facts
    assert store.pending_analysis() == []
    assert [s.id for s in store.stories(entity="Kupyansk")] == [sid]


def test_failed_page_keeps_summary(store: Store) -> None:
    feed = store.add_feed("http://x/feed")
    [sid] = store.store_entries(feed.id, _entries(1), ["the summary"], want_pages=True)
    store.store_page(sid, markdown=None, error="The server answered 404 Not Found.")
    body = store.body(sid)
    assert body is not None and body.markdown == "the summary" and not body.full_text
    assert body.extract_error == "The server answered 404 Not Found."
    assert store.pending_pages() == []


def test_reading_state(store: Store) -> None:
    feed = store.add_feed("http://x/feed")
    [sid] = store.store_entries(feed.id, _entries(1), ["b"])
    store.set_read(sid)
    store.set_starred(sid)
    store.set_scroll(sid, 0.5)
    body = store.body(sid)
    assert body is not None and body.story.read and body.story.starred and body.scroll == 0.5
    assert store.count_stories(unread=True) == 0 and store.count_stories(starred=True) == 1


def test_remove_feed_cascades(store: Store) -> None:
    feed = store.add_feed("http://x/feed")
    store.store_entries(feed.id, _entries(2), ["a", "b"])
    store.remove_feed(feed.id)
    assert store.count_stories() == 0 and store.search("izyum") == []


def _writer(path: str, prefix: str) -> None:
    s = Store(Path(path))
    feed = s.add_feed("http://x/shared")
    for i in range(20):
        s.store_entries(feed.id, _entries(5, f"{prefix}{i}-"), ["b"] * 5)
    s.close()


def test_two_processes_share_the_file(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, p)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Store(Path(path)) as s:
        assert s.count_stories() == 200


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged or not a warreader database"):
        Store(bad)


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer warreader"):
        Store(path)


def test_untitled_feeds_are_named_by_address_and_sorted_naturally(store: Store) -> None:
    for n in (10, 6, 14):
        store.add_feed(f"http://127.0.0.1:9/feed/{n}.xml", f"Feed {n}")
    store.add_feed("https://www.example.org/world/rss/")
    names = [f.title for f in store.feeds()]
    assert names == ["example.org/world/rss", "Feed 6", "Feed 10", "Feed 14"]


def test_a_renamed_feed_keeps_its_name_through_refreshes(store: Store) -> None:
    feed = store.add_feed("http://127.0.0.1:9/a.xml", "Original")
    store.rename_feed(feed.id, "My name")
    store.store_entries(feed.id, _entries(1), ["body"], feed_title="The feed's title")
    assert store.feed(feed.id).title == "My name"  # type: ignore[union-attr]
    assert store.stories()[0].feed_title == "My name"
    assert store.find_feed("my name") is not None
    store.rename_feed(feed.id, "")
    assert store.feed(feed.id).title == "The feed's title"  # type: ignore[union-attr]


def test_mark_all_read_by_feed_or_everything(store: Store) -> None:
    a = store.add_feed("http://127.0.0.1:9/a.xml", "A")
    b = store.add_feed("http://127.0.0.1:9/b.xml", "B")
    store.store_entries(a.id, _entries(3, "a"), ["x"] * 3)
    store.store_entries(b.id, _entries(2, "b"), ["x"] * 2)
    assert store.mark_all_read(feed_id=a.id) == 3
    assert store.count_stories(unread=True) == 2
    assert store.mark_all_read() == 2
    assert store.count_stories(unread=True) == 0
