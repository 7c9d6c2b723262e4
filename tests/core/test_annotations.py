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
    first = ann.add_note(store, sid, "  Governor confirms.  ", BODY[start:end], start, end)
    second = ann.add_note(store, sid, "Check Izium\nlater")
    assert first.text == "Governor confirms." and first.quote == BODY[start:end]
    assert (first.quote_start, first.quote_end) == (start, end)
    assert second.quote is None and second.text == "Check Izium\nlater"
    assert first.created is not None and first.created.tzinfo is not None

    edited = ann.edit_note(store, first.id, "Governor confirmed on Telegram.")
    assert edited is not None and edited.text == "Governor confirmed on Telegram."
    assert edited.quote == first.quote and edited.created == first.created
    assert ann.edit_note(store, 9999, "nothing") is None

    store.close()
    with Store(db) as again:
        assert [n.text for n in ann.notes(again, sid)] == ["Governor confirmed on Telegram.",
                                                           "Check Izium\nlater"]
        assert ann.delete_note(again, second.id)
        assert not ann.delete_note(again, second.id)
        assert [n.id for n in ann.notes(again, sid)] == [first.id]


def test_note_text_and_quote_lose_control_characters(store: Store) -> None:
    sid = _story(store)
    note = ann.add_note(store, sid, "mine\x1b[31m red\x07", "quoted\x1b]0;title\x07 text")
    assert note.text == "mine red" and note.quote == "quoted text"


@pytest.mark.parametrize("text, start, end", [
    ("", None, None), ("  \n ", None, None), ("\x1b[2J", None, None),
    ("ok", 5, None), ("ok", None, 5), ("ok", 9, 3), ("ok", -1, 4),
])
def test_bad_notes_are_refused(store: Store, text: str, start: int | None,
                               end: int | None) -> None:
    sid = _story(store)
    with pytest.raises(ValueError):
        ann.add_note(store, sid, text, "q", start, end)
    assert ann.notes(store, sid) == []


def test_annotating_a_missing_story_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no story 42"):
        ann.add_note(store, 42, "hello")
    with pytest.raises(StoreError):
        ann.add_tag(store, 42, "x")
    with pytest.raises(StoreError):
        ann.add_highlight(store, 42, 0, 3, "abc")
    with pytest.raises(StoreError):
        ann.remove_entity(store, 42, "Izium")


def test_removing_a_feed_removes_its_annotations(store: Store) -> None:
    sid = _story(store)
    ann.add_note(store, sid, "n")
    ann.add_highlight(store, sid, 0, 9, BODY[:9])
    ann.add_tag(store, sid, "t")
    ann.remove_entity(store, sid, "Izium")
    store.remove_feed(store.feeds()[0].id)
    counts = [store.db.query(f"SELECT count(*) FROM {t}")[0][0]
              for t in ("notes", "highlights", "tags", "entity_corrections")]
    assert counts == [0, 0, 0, 0]


# Highlights --------------------------------------------------------------------------------

def test_highlights_in_reading_order_and_deduplicated(store: Store) -> None:
    sid = _story(store)
    late = ann.add_highlight(store, sid, *_at("Izium"), "Izium")
    early = ann.add_highlight(store, sid, *_at("Balakliya"), "Balakliya")
    again = ann.add_highlight(store, sid, *_at("Izium"), "Izium")
    assert again.id == late.id
    assert [h.text for h in ann.highlights(store, sid)] == ["Balakliya", "Izium"]
    assert ann.remove_highlight(store, early.id)
    assert not ann.remove_highlight(store, early.id)
    assert [h.id for h in ann.highlights(store, sid)] == [late.id]


@pytest.mark.parametrize("start, end", [(5, 5), (9, 3), (-2, 4)])
def test_empty_or_reversed_highlights_are_refused(store: Store, start: int, end: int) -> None:
    sid = _story(store)
    with pytest.raises(ValueError):
        ann.add_highlight(store, sid, start, end, "x")


def test_remove_highlights_at_a_range_or_a_point(store: Store) -> None:
    sid = _story(store)
    a = ann.add_highlight(store, sid, 0, 10, BODY[0:10])
    ann.add_highlight(store, sid, 20, 30, BODY[20:30])
    c = ann.add_highlight(store, sid, 40, 50, BODY[40:50])
    assert ann.remove_highlights_at(store, sid, 25, 25) == 1  # a point inside the second
    assert ann.remove_highlights_at(store, sid, 10, 40) == 0  # touching is not overlapping
    assert [h.id for h in ann.highlights(store, sid)] == [a.id, c.id]
    assert ann.remove_highlights_at(store, sid, 5, 45) == 2
    assert ann.highlights(store, sid) == []


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
    assert ann.add_tag(store, a, "Kharkiv") == "Kharkiv"
    assert ann.add_tag(store, b, "kharkiv") == "Kharkiv"  # joins the tag already in use
    ann.add_tag(store, b, "kharkiv")  # twice is once
    ann.add_tag(store, c, "Kharkiv")
    ann.add_tag(store, c, "izium_100")
    ann.add_tag(store, c, "iziumx")
    assert ann.tags(store, b) == ["Kharkiv"]
    assert ann.all_tags(store) == [("Kharkiv", 3), ("izium_100", 1), ("iziumx", 1)]
    assert ann.tag_completions(store, "KH") == ["Kharkiv"]
    assert ann.tag_completions(store, "#izium") == ["izium_100", "iziumx"]
    assert ann.tag_completions(store, "izium_") == ["izium_100"]  # _ is not a wildcard
    assert ann.tag_completions(store, "izium%") == []
    assert ann.story_ids_with_tag(store, "#kharkiv") == [a, b, c]
    assert [s.id for s in ann.stories_with_tag(store, "Kharkiv")] == [c, b, a]  # newest first
    assert [s.id for s in ann.stories_with_tag(store, "Kharkiv", limit=1, offset=1)] == [b]
    assert ann.remove_tag(store, b, "KHARKIV")
    assert not ann.remove_tag(store, b, "KHARKIV")
    assert ann.all_tags(store)[0] == ("Kharkiv", 2)


def test_set_tags_replaces_all(store: Store) -> None:
    sid = _story(store)
    ann.set_tags(store, sid, ["one", "two"])
    assert ann.set_tags(store, sid, ["Two", "three", "", "three"]) == ["three", "Two"]
    assert ann.set_tags(store, sid, []) == []


# Entity corrections ------------------------------------------------------------------------

def test_corrections_remove_retype_and_merge(store: Store) -> None:
    sid = _story(store)
    ann.remove_entity(store, sid, "Saturday")
    ann.retype_entity(store, sid, "Kupiansk", "Place")
    ann.merge_entities(store, sid, "Balakliya", "Izium")
    got = {e.name: e for e in ann.corrected_entities(store, sid)}
    assert set(got) == {"Oleh Syniehubov", "Izium", "Kupiansk"}
    assert got["Kupiansk"].kind == "place"
    assert got["Izium"].aliases == ("Balakliya",)
    assert got["Izium"].mentions == tuple(sorted((_at("Izium"), _at("Balakliya"))))
    assert got["Izium"].count == 2
    assert [c.action for c in ann.corrections(store, sid)] == ["remove", "retype", "merge"]
    # The uncorrected analysis is untouched.
    assert [e.name for e in store.entities(sid)] == [e.name for e in ENTITIES]


def test_corrections_survive_reanalysis(store: Store, db: Path) -> None:
    sid = _story(store)
    ann.remove_entity(store, sid, "Saturday")
    ann.merge_entities(store, sid, "Syniehubov", "Oleh Syniehubov")
    # A new analysis picks another spelling as the name: the correction follows the alias.
    reanalysed = [Entity("Syniehubov", "person", ("Oleh Syniehubov",), ((10, 20),)),
                  Entity("Saturday", "organization", (), ((0, 3),)),
                  Entity("Oleh Syniehubov", "person", (), ((30, 40),))]
    store.store_analysis(sid, reanalysed, [])
    store.close()
    with Store(db) as again:
        fixed = ann.corrected_entities(again, sid)
    assert [(e.name, e.count) for e in fixed] == [("Oleh Syniehubov", 2)]
    assert fixed[0].aliases == ("Syniehubov",)


def test_retype_keeps_the_latest_and_undo_restores(store: Store) -> None:
    sid = _story(store)
    ann.retype_entity(store, sid, "Kupiansk", "organization")
    last = ann.retype_entity(store, sid, "Kupiansk", "place")
    assert len(ann.corrections(store, sid)) == 1
    assert {e.name: e.kind for e in ann.corrected_entities(store, sid)}["Kupiansk"] == "place"
    assert ann.undo_correction(store, last.id)
    assert {e.name: e.kind for e in ann.corrected_entities(store, sid)}["Kupiansk"] == "person"


def test_merge_into_an_unknown_name_renames(store: Store) -> None:
    sid = _story(store)
    ann.merge_entities(store, sid, "Izium", "Izyum")
    izyum = next(e for e in ann.corrected_entities(store, sid) if e.name == "Izyum")
    assert izyum.aliases == ("Izium",) and izyum.kind == "place" and izyum.count == 1


@pytest.mark.parametrize("name, into", [("Izium", "Izium"), ("", "Izium"), ("Izium", " ")])
def test_pointless_merges_are_refused(store: Store, name: str, into: str) -> None:
    sid = _story(store)
    with pytest.raises(ValueError):
        ann.merge_entities(store, sid, name, into)


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
