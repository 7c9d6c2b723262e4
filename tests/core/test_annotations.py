"""Notes, highlights, tags and entity corrections on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.corrections import apply_corrections
from reader.errors import StoreError
from reader.models import Entity, EntityCorrection, ParsedEntry, TimelineFact
from reader.store import Store
from reader.store import annotations as ann

BODY = ("Ukrainian troops entered Balakliya on Saturday, governor Oleh Syniehubov said. "
        "Fighting continued near Izium and Kupiansk.")


def _at(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


ENTITIES = [
    Entity("Balakliya", "place", (), (_at("Balakliya"),)),
    Entity("Oleh Syniehubov", "person", ("Syniehubov",), (_at("Oleh Syniehubov"),)),
    Entity("Izium", "place", (), (_at("Izium"),)),
    Entity("Kupiansk", "person", (), (_at("Kupiansk"),)),
    Entity("Saturday", "organization", (), (_at("Saturday"),)),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


def _story(store: Store, guid: str = "g1", title: str = "Flag raised in Balakliya",
           hours: int = 0) -> int:
    feed = store.add_feed("http://127.0.0.1/feed.xml", "Dispatch")
    entry = ParsedEntry(guid=guid, title=title, url=f"http://127.0.0.1/{guid}",
                        published=dt.datetime(2022, 9, 10, tzinfo=dt.UTC)
                        + dt.timedelta(hours=hours))
    [story_id] = store.store_entries(feed.id, [entry], [BODY])
    store.store_analysis(story_id, ENTITIES, [TimelineFact("2022-09-10", (0, 10), "x")])
    return story_id


# Notes -------------------------------------------------------------------------------------

def test_notes_are_added_edited_deleted_and_survive_reopening(store: Store, db: Path) -> None:
    sid = _story(store)
    start, end = _at("governor Oleh Syniehubov said")
    first = store.add_note(sid, "  Governor confirms.  ", BODY[start:end], start, end)
    second = store.add_note(sid, "Check Izium\nlater")
    assert first.text == "Governor confirms." and first.quote == BODY[start:end]
    assert (first.quote_start, first.quote_end) == (start, end)
    assert second.quote is None and second.text == "Check Izium\nlater"
    assert first.created is not None and first.created.tzinfo is not None

    edited = store.edit_note(first.id, "Governor confirmed on Telegram.")
    assert edited is not None and edited.text == "Governor confirmed on Telegram."
    assert edited.quote == first.quote and edited.created == first.created
    assert store.edit_note(9999, "nothing") is None

    store.close()
    with Store(db) as again:
        assert [n.text for n in again.notes(sid)] == ["Governor confirmed on Telegram.",
                                                           "Check Izium\nlater"]
        assert again.delete_note(second.id)
        assert not again.delete_note(second.id)
        assert [n.id for n in again.notes(sid)] == [first.id]


def test_note_text_and_quote_lose_control_characters(store: Store) -> None:
    sid = _story(store)
    note = store.add_note(sid, "mine\x1b[31m red\x07", "quoted\x1b]0;title\x07 text")
    assert note.text == "mine red" and note.quote == "quoted text"


@pytest.mark.parametrize("text, start, end", [
    ("", None, None), ("  \n ", None, None), ("\x1b[2J", None, None),
    ("ok", 5, None), ("ok", None, 5), ("ok", 9, 3), ("ok", -1, 4),
])
def test_bad_notes_are_refused(store: Store, text: str, start: int | None,
                               end: int | None) -> None:
    sid = _story(store)
    with pytest.raises(ValueError):
        store.add_note(sid, text, "q", start, end)
    assert store.notes(sid) == []


def test_annotating_a_missing_story_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no story 42"):
        store.add_note(42, "hello")
    with pytest.raises(StoreError):
        store.add_tag(42, "x")
    with pytest.raises(StoreError):
        store.add_highlight(42, 0, 3, "abc")
    with pytest.raises(StoreError):
        store.remove_entity(42, "Izium")


def test_removing_a_feed_removes_its_annotations(store: Store) -> None:
    sid = _story(store)
    store.add_note(sid, "n")
    store.add_highlight(sid, 0, 9, BODY[:9])
    store.add_tag(sid, "t")
    store.remove_entity(sid, "Izium")
    store.remove_feed(store.feeds()[0].id)
    counts = [store.db.query(f"SELECT count(*) FROM {t}")[0][0]
              for t in ("notes", "highlights", "tags", "entity_corrections")]
    assert counts == [0, 0, 0, 0]


# Highlights --------------------------------------------------------------------------------

def test_highlights_in_reading_order_and_deduplicated(store: Store) -> None:
    sid = _story(store)
    late = store.add_highlight(sid, *_at("Izium"), "Izium")
    early = store.add_highlight(sid, *_at("Balakliya"), "Balakliya")
    again = store.add_highlight(sid, *_at("Izium"), "Izium")
    assert again.id == late.id
    assert [h.text for h in store.highlights(sid)] == ["Balakliya", "Izium"]
    assert store.remove_highlights_at(sid, *_at("Balakliya")) == 1
    assert store.remove_highlights_at(sid, *_at("Balakliya")) == 0
    assert [h.id for h in store.highlights(sid)] == [late.id] and early.id != late.id


@pytest.mark.parametrize("start, end", [(5, 5), (9, 3), (-2, 4)])
def test_empty_or_reversed_highlights_are_refused(store: Store, start: int, end: int) -> None:
    sid = _story(store)
    with pytest.raises(ValueError):
        store.add_highlight(sid, start, end, "x")


def test_remove_highlights_at_a_range_or_a_point(store: Store) -> None:
    sid = _story(store)
    a = store.add_highlight(sid, 0, 10, BODY[0:10])
    store.add_highlight(sid, 20, 30, BODY[20:30])
    c = store.add_highlight(sid, 40, 50, BODY[40:50])
    assert store.remove_highlights_at(sid, 25, 25) == 1  # a point inside the second
    assert store.remove_highlights_at(sid, 10, 40) == 0  # touching is not overlapping
    assert [h.id for h in store.highlights(sid)] == [a.id, c.id]
    assert store.remove_highlights_at(sid, 5, 45) == 2
    assert store.highlights(sid) == []


# Tags --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("kharkiv", "kharkiv"), ("  #Izium ", "Izium"), ("war crimes", "war-crimes"),
    ("a\x1b[2Jb", "ab"), ("x" * 100, "x" * ann.TAG_LIMIT), ("a,b", "a-b"),
    ("Харків/Ізюм", "Харків/Ізюм"), ("100% [sure]!", "100-sure"), ("snake_case", "snake_case"),
])
def test_normalize_tag(typed: str, stored: str) -> None:
    assert ann.normalize_tag(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "#", "\x1b[2J", "-,-"])
def test_empty_tags_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        ann.normalize_tag(typed)


@pytest.mark.parametrize("line, tags", [
    ("kharkiv, war crimes", ["kharkiv", "war-crimes"]),
    ("#kharkiv #izium", ["kharkiv", "izium"]),
    ("Kharkiv kharkiv", ["Kharkiv"]),
    (" , ,", []),
])
def test_parse_tags(line: str, tags: list[str]) -> None:
    assert ann.parse_tags(line) == tags


def test_tags_join_existing_spelling_and_count_for_autocomplete(store: Store) -> None:
    a, b, c = (_story(store, f"g{i}", hours=i) for i in range(3))
    assert store.add_tag(a, "Kharkiv") == "Kharkiv"
    assert store.add_tag(b, "kharkiv") == "Kharkiv"  # joins the tag already in use
    store.add_tag(b, "kharkiv")  # twice is once
    store.add_tag(c, "Kharkiv")
    store.add_tag(c, "izium_100")
    store.add_tag(c, "iziumx")
    assert store.tags(b) == ["Kharkiv"]
    assert store.all_tags() == [("Kharkiv", 3), ("izium_100", 1), ("iziumx", 1)]
    assert store.story_ids_with_tag("#kharkiv") == [a, b, c]
    assert [s.id for s in store.stories_with_tag("Kharkiv")] == [c, b, a]  # newest first
    assert [s.id for s in store.stories_with_tag("Kharkiv", limit=1, offset=1)] == [b]
    assert store.set_tags(b, []) == []
    assert store.all_tags()[0] == ("Kharkiv", 2)


def test_set_tags_replaces_all(store: Store) -> None:
    sid = _story(store)
    store.set_tags(sid, ["one", "two"])
    assert store.set_tags(sid, ["Two", "three", "", "three"]) == ["three", "Two"]
    assert store.set_tags(sid, []) == []


# Entity corrections ------------------------------------------------------------------------

def test_corrections_remove_retype_and_merge(store: Store) -> None:
    sid = _story(store)
    store.remove_entity(sid, "Saturday")
    store.retype_entity(sid, "Kupiansk", "Place")
    store.merge_entities(sid, "Balakliya", "Izium")
    got = {e.name: e for e in store.corrected_entities(sid)}
    assert set(got) == {"Oleh Syniehubov", "Izium", "Kupiansk"}
    assert got["Kupiansk"].kind == "place"
    assert got["Izium"].aliases == ("Balakliya",)
    assert got["Izium"].mentions == tuple(sorted((_at("Izium"), _at("Balakliya"))))
    assert got["Izium"].count == 2
    assert [c.action for c in store.corrections(sid)] == ["remove", "retype", "merge"]
    # The uncorrected analysis is untouched.
    assert [e.name for e in store.entities(sid)] == [e.name for e in ENTITIES]


def test_corrections_survive_reanalysis(store: Store, db: Path) -> None:
    sid = _story(store)
    store.remove_entity(sid, "Saturday")
    store.merge_entities(sid, "Syniehubov", "Oleh Syniehubov")
    # A new analysis picks another spelling as the name: the correction follows the alias.
    reanalysed = [Entity("Syniehubov", "person", ("Oleh Syniehubov",), ((10, 20),)),
                  Entity("Saturday", "organization", (), ((0, 3),)),
                  Entity("Oleh Syniehubov", "person", (), ((30, 40),))]
    store.store_analysis(sid, reanalysed, [])
    store.close()
    with Store(db) as again:
        fixed = again.corrected_entities(sid)
    assert [(e.name, e.count) for e in fixed] == [("Oleh Syniehubov", 2)]
    assert fixed[0].aliases == ("Syniehubov",)


def test_retype_keeps_the_latest_and_undo_restores(store: Store) -> None:
    sid = _story(store)
    store.retype_entity(sid, "Kupiansk", "organization")
    last = store.retype_entity(sid, "Kupiansk", "place")
    assert len(store.corrections(sid)) == 1
    assert {e.name: e.kind for e in store.corrected_entities(sid)}["Kupiansk"] == "place"
    assert store.undo_correction(last.id)
    assert {e.name: e.kind for e in store.corrected_entities(sid)}["Kupiansk"] == "person"


def test_merge_into_an_unknown_name_renames(store: Store) -> None:
    sid = _story(store)
    store.merge_entities(sid, "Izium", "Izyum")
    izyum = next(e for e in store.corrected_entities(sid) if e.name == "Izyum")
    assert izyum.aliases == ("Izium",) and izyum.kind == "place" and izyum.count == 1


@pytest.mark.parametrize("name, into", [("Izium", "Izium"), ("", "Izium"), ("Izium", " ")])
def test_pointless_merges_are_refused(store: Store, name: str, into: str) -> None:
    sid = _story(store)
    with pytest.raises(ValueError):
        store.merge_entities(sid, name, into)


def test_apply_corrections_reports_renames_through_chains() -> None:
    fixes = [EntityCorrection(1, 1, "Balakliya", "merge", target="Izium"),
             EntityCorrection(2, 1, "Izium", "merge", target="Kharkiv"),
             EntityCorrection(3, 1, "Saturday", "remove"),
             EntityCorrection(4, 1, "Nowhere", "remove")]  # not there: skipped
    fixed, renamed = apply_corrections(ENTITIES, fixes)
    assert renamed == {"Balakliya": "Kharkiv", "Izium": "Kharkiv", "Saturday": ""}
    kharkiv = next(e for e in fixed if e.name == "Kharkiv")
    assert set(kharkiv.aliases) == {"Izium", "Balakliya"} and kharkiv.count == 2
    assert len(fixed) == len(ENTITIES) - 2
