"""The cross-story entity index and merged timeline, on real SQLite files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from reader.export.index import export_entities, export_timeline
from reader.index.build import update_index
from reader.index.dates import sort_key
from reader.index.events import FOLD_THRESHOLD, similar
from reader.index.names import normalise
from reader.index.queries import (
    IndexedEntity,
    entities,
    entity_detail,
    find_entity,
    sparkline,
    trends,
)
from reader.index.timeline import MergedFact, merged_timeline
from reader.index.words import fact_tokens
from reader.models import Entity, ParsedEntry, TimelineFact
from reader.store import Store

DAY0 = dt.datetime(2022, 9, 1, 12, tzinfo=dt.UTC)


class World:
    """Feeds and analysed stories written through the Store's own API."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.n = 0

    def feed(self, name: str) -> int:
        return self.store.add_feed(f"http://127.0.0.1/{name}.xml", name).id

    def story(self, feed_id: int, day: int, entities: list[Entity],
              facts: list[TimelineFact] = (), title: str = "") -> int:  # type: ignore[assignment]
        self.n += 1
        entry = ParsedEntry(guid=f"g{self.n}", title=title or f"Story {self.n}",
                            url=f"http://127.0.0.1/s{self.n}",
                            published=DAY0 + dt.timedelta(days=day))
        [story_id] = self.store.store_entries(feed_id, [entry], ["body"])
        self.store.store_analysis(story_id, entities, list(facts))
        return story_id


def ent(name: str, kind: str = "place", aliases: tuple[str, ...] = (), n: int = 1) -> Entity:
    return Entity(name, kind, aliases, tuple((i * 10, i * 10 + 4) for i in range(n)))


def fact(date: str, sentence: str, *names: str, span: tuple[int, int] = (0, 5)) -> TimelineFact:
    return TimelineFact(date=date, span=span, sentence=sentence, entities=names)


@pytest.fixture
def world(store: Store) -> World:
    return World(store)


def by_name(store: Store) -> dict[str, IndexedEntity]:
    return {e.name: e for e in entities(store, limit=1000)}


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Kyiv", "Kiev"), ("Kharkiv", "Kharkov"), ("Zelenskiy", "Zelenskyy"),
    ("Zelensky's", "Volodymyr Zelenskiy"), ("Kupyansk", "Kupiansk"), ("KYÏV", "kyiv"),
    ("Bakhmut’s", "bakhmut"),
])
def test_variant_spellings_normalise_alike(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(("a", "b"), [("Kyiv", "Kharkiv"), ("Jane Smith", "John Smith")])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


def test_sort_keys_order_by_period_start() -> None:
    values = ["2022-Q4", "2022-09-10", "2022-09", "2022-W36", "2021", "199", "2022-SU"]
    ordered = sorted(values, key=lambda v: sort_key(v) or "")
    assert ordered == ["199", "2021", "2022-SU", "2022-09", "2022-W36", "2022-09-10", "2022-Q4"]
    assert sort_key("PRESENT_REF") is None and sort_key("2022-13-40") is None


def test_sparkline_scales_to_the_peak() -> None:
    assert sparkline([0, 1, 2, 4, 8]) == "▁▂▃▅█"  # any mention rises above the baseline
    assert sparkline([0, 0]) == "▁▁" and sparkline([]) == ""
    assert len(sparkline([3] * 30)) == 30 and set(sparkline([3] * 30)) == {"█"}


# --- Entity index --------------------------------------------------------------------------


def test_alias_merge_across_stories_and_spellings(store: Store, world: World) -> None:
    a, b = world.feed("Kyiv Independent"), world.feed("Wire")
    world.story(a, 0, [ent("Kyiv", n=3), ent("Vladimir Putin", "person")])
    world.story(b, 2, [ent("Kiev", n=2), ent("Putin", "person", n=2)])
    world.story(b, 5, [ent("Kyiv's", n=1)])
    assert update_index(store) == 3
    found = by_name(store)
    kyiv = found["Kyiv"]
    assert (kyiv.stories, kyiv.mentions, kyiv.kind) == (3, 6, "place")
    assert "Kiev" in kyiv.aliases and "Kyiv's" not in kyiv.aliases
    assert kyiv.first_seen == DAY0 and kyiv.last_seen == DAY0 + dt.timedelta(days=5)
    assert found["Vladimir Putin"].stories == 2
    assert "Kiev" not in found and "Putin" not in found
    assert find_entity(store, "KIEV") == kyiv.key == find_entity(store, kyiv.key)
    assert find_entity(store, "Lviv") is None


def test_story_aliases_link_names_and_surnames_do_not_join_people(store: Store,
                                                                   world: World) -> None:
    f = world.feed("f")
    world.story(f, 0, [ent("Oleh Synyehubov", "person", ("Synyehubov",))])
    world.story(f, 1, [ent("Synyehubov", "person")])
    world.story(f, 2, [ent("Jane Smith", "person", ("Smith",))])
    world.story(f, 3, [ent("John Smith", "person", ("Smith",))])
    world.story(f, 4, [ent("Smith", "person", ("John Smith",))])  # a headline's surname
    world.story(f, 5, [ent("Smith", "person", ("Ann Smith",))])
    world.story(f, 6, [ent("Smith", "person")])
    update_index(store)
    found = by_name(store)
    assert found["Oleh Synyehubov"].stories == 2 and "Synyehubov" not in found
    assert [found[n].stories for n in ("Jane Smith", "John Smith", "Ann Smith")] == [2, 2, 1]
    assert "Smith" not in found


def test_an_alias_seen_later_merges_two_indexed_entities(store: Store, world: World) -> None:
    f = world.feed("f")
    world.story(f, 0, [ent("Synyehubov", "person", n=2)])
    world.story(f, 1, [ent("Oleh Synyehubov", "person")])
    update_index(store)
    assert len(entities(store, kind="person")) == 2
    world.story(f, 2, [ent("Oleh Synyehubov", "person", ("Synyehubov",))])
    update_index(store)
    [person] = entities(store, kind="person")
    assert (person.name, person.stories, person.mentions) == ("Oleh Synyehubov", 3, 4)


def test_kind_filter_query_and_order(store: Store, world: World) -> None:
    f = world.feed("f")
    for day in range(3):
        world.story(f, day, [ent("Izium"), ent("Ukrainian Armed Forces", "organization")])
    world.story(f, 4, [ent("Izyum"), ent("Balakliia"), ent("Oleksandr Syrskyi", "person")])
    update_index(store)
    assert [e.name for e in entities(store)][:1] == ["Izium"]
    assert [e.name for e in entities(store, kind="person")] == ["Oleksandr Syrskyi"]
    assert {e.name for e in entities(store, kind="place")} == {"Izium", "Balakliia"}
    assert [e.name for e in entities(store, query="izy")] == ["Izium"]  # an alias matches
    assert [e.name for e in entities(store, query="armed")] == ["Ukrainian Armed Forces"]
    assert len(entities(store, limit=2)) == 2


def test_detail_co_occurrence_stories_and_trend(store: Store, world: World) -> None:
    f = world.feed("f")
    s1 = world.story(f, 0, [ent("Izium", n=2), ent("Kharkiv"), ent("Lyman")])
    s2 = world.story(f, 1, [ent("Izium"), ent("Kharkov")])
    s3 = world.story(f, 3, [ent("Izium", n=4), ent("Kharkiv"), ent("Lyman")],
                     [fact("2022-09-04", "Troops entered Izium.", "Izium")])
    world.story(f, 3, [ent("Lyman")])
    update_index(store)
    key = find_entity(store, "Izium")
    assert key is not None
    detail = entity_detail(store, key)
    assert detail is not None
    assert [s.id for s in detail.stories] == [s3, s2, s1]
    assert [(e.name, n) for e, n in detail.related] == [("Kharkiv", 3), ("Lyman", 2)]
    day0 = int(DAY0.timestamp()) // 86400
    assert detail.today == day0 + 3
    assert detail.trend(4) == [2, 1, 0, 4]
    assert trends(store, [key], days=4)[key] == [2, 1, 0, 4]
    assert [m.sentence for m in detail.facts] == ["Troops entered Izium."]
    assert entity_detail(store, "no such key") is None


def test_update_is_incremental_and_deleting_a_feed_removes_its_part(store: Store,
                                                                    world: World) -> None:
    a, b = world.feed("a"), world.feed("b")
    world.story(a, 0, [ent("Kyiv"), ent("Odesa")], [fact("2022-09-01", "Odesa was hit.")])
    world.story(b, 1, [ent("Kyiv", n=5), ent("Lviv")], [fact("2022-09-02", "Lviv was calm.")])
    assert update_index(store) == 2
    assert update_index(store) == 0  # nothing new
    world.story(b, 2, [ent("Kiev")])
    assert update_index(store) == 1  # only the new story
    assert by_name(store)["Kyiv"].stories == 3
    store.remove_feed(b)
    assert update_index(store) == 0
    found = by_name(store)
    assert set(found) == {"Kyiv", "Odesa"}
    assert (found["Kyiv"].stories, found["Kyiv"].mentions) == (1, 1)
    assert found["Kyiv"].last_seen == DAY0
    assert [m.sentence for m in merged_timeline(store)] == ["Odesa was hit."]


def test_a_reanalysed_story_is_indexed_again(store: Store, world: World) -> None:
    f = world.feed("f")
    sid = world.story(f, 0, [ent("Kyiv")], [fact("2022-09-01", "Kyiv was hit.")])
    update_index(store)
    store.store_analysis(sid, [ent("Lviv", n=2)], [fact("2022-09-03", "Lviv was hit.")])
    assert update_index(store) == 1
    assert set(by_name(store)) == {"Lviv"}
    assert [m.date for m in merged_timeline(store)] == ["2022-09-03"]


# --- Merged timeline -----------------------------------------------------------------------


def test_near_duplicates_from_two_outlets_fold(store: Store, world: World) -> None:
    a, b, c = world.feed("Reuters"), world.feed("Kyiv Independent"), world.feed("BBC")
    s1 = world.story(a, 2, [ent("Izium")], [fact(
        "2022-09-10", "Ukrainian forces recaptured Izium on Saturday, officials said.", "Izium",
        span=(40, 48))], title="Izium retaken")
    s2 = world.story(b, 1, [ent("Izyum")], [fact(
        "2022-09-10", "Ukrainian forces recaptured the city of Izyum on Saturday.", "Izyum")])
    world.story(c, 3, [ent("Izium")], [
        fact("2022-09-10", "Shelling hit a power station in Kharkiv overnight.", "Kharkiv"),
        fact("2022-09-11", "Ukrainian forces recaptured Izium on Saturday, officials said.",
             "Izium"),
        fact("PRESENT_REF", "Ukrainian forces now hold Izium.", "Izium"),
    ])
    update_index(store)
    items = merged_timeline(store)
    assert [(m.date, len(m.sources), m.outlets) for m in items] == [
        ("2022-09-10", 2, 2), ("2022-09-10", 1, 1), ("2022-09-11", 1, 1)]
    first = items[0]
    assert [s.story_id for s in first.sources] == [s2, s1]  # earliest report first
    assert first.sentence.startswith("Ukrainian forces recaptured the city of Izyum")
    assert {s.feed_title for s in first.sources} == {"Reuters", "Kyiv Independent"}
    assert first.sources[1].span == (40, 48) and first.sources[1].story_title == "Izium retaken"
    assert all("now hold" not in m.sentence for m in items)


def test_same_story_facts_fold_only_when_identical(store: Store, world: World) -> None:
    f = world.feed("f")
    world.story(f, 0, [], [
        fact("2022-09-10", "Forces recaptured Izium and Balakliia on Saturday."),
        fact("2022-09-10", "Forces recaptured Izium and Balakliia on Saturday."),
        fact("2022-09-10", "Forces recaptured Izium and Kupiansk on Saturday."),
    ])
    update_index(store)
    assert [len(m.sources) for m in merged_timeline(store)] == [1, 1]


def test_folding_works_across_updates_and_survives_deleting_the_first_report(
        store: Store, world: World) -> None:
    a, b, c = world.feed("a"), world.feed("b"), world.feed("c")
    said = "A drone attack damaged the Kremenchuk oil refinery overnight, the governor said."
    world.story(a, 0, [], [fact("2022-09-03", said)])
    update_index(store)
    world.story(b, 1, [], [fact("2022-09-03", "A drone attack damaged the Kremenchuk oil "
                                              "refinery overnight.")])
    update_index(store)
    assert [len(m.sources) for m in merged_timeline(store)] == [2]
    store.remove_feed(a)  # the first report, which the others were compared with, goes
    world.story(c, 2, [], [fact("2022-09-03", "Drone attack damaged Kremenchuk refinery.")])
    update_index(store)
    [event] = merged_timeline(store)
    assert sorted(s.feed_id for s in event.sources) == [b, c] and event.outlets == 2


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Russian missiles hit Odesa port", "Russian missiles struck Odesa port", True),  # 3/5
    ("Russian missiles hit Odesa port", "Missiles hit the port of Odesa", True),  # 3/4
    ("Russian missiles hit Odesa port", "Ukraine says Russian missiles hit Kyiv", False),
    ("Kyiv metro reopened", "Kiev's metro reopened", True),  # spellings normalise alike
    ("Talks in Istanbul resumed", "Shelling in Kharkiv resumed", False),
])
def test_fold_rule(a: str, b: str, same: bool) -> None:
    ta, tb = (frozenset(fact_tokens(x, []).split()) for x in (a, b))
    assert similar(ta, tb) is same
    assert (len(ta & tb) / len(ta | tb) >= FOLD_THRESHOLD) is same


@pytest.mark.parametrize(("a", "names_a", "b", "names_b", "same"), [
    # One pattern, other places: most words shared, the entities not (a feedfarm corpus).
    ("Residents of Mykolaiv said supplies from Kharkiv had not arrived since October.",
     ["Mykolaiv", "Kharkiv"],
     "Residents of Odesa said supplies from Kharkiv had not arrived since October.",
     ["Odesa", "Kharkiv"], False),
    # One outlet names the governor too: still the same event.
    ("Russian missiles hit Kharkiv power station", ["Kharkiv"],
     "Russian missiles hit the Kharkiv power station, Oleh Synyehubov said",
     ["Kharkiv", "Oleh Synyehubov"], True),
    # The same speaker and pattern, another road: two of three names is not enough.
    ("Lindqvist told reporters the road from Donetsk to Izyum was cut.",
     ["Lindqvist", "Donetsk", "Izyum"],
     "Lindqvist told reporters the road from Donetsk to Lyman was cut.",
     ["Lindqvist", "Donetsk", "Lyman"], False),
    # No entities on one side: the words decide.
    ("Russian missiles hit Odesa port", [], "Russian missiles struck Odesa port", ["Odesa"],
     True),
])
def test_fold_rule_with_entities(a: str, names_a: list[str], b: str, names_b: list[str],
                                 same: bool) -> None:
    ta, tb = frozenset(fact_tokens(a, names_a).split()), frozenset(fact_tokens(b, names_b).split())
    assert similar(ta, tb) is same


def test_timeline_filters(store: Store, world: World) -> None:
    a, b = world.feed("a"), world.feed("b")
    world.story(a, 0, [ent("Kyiv"), ent("Lviv")], [
        fact("2022-08", "In August Kyiv prepared.", "Kyiv"),
        fact("2022-09-05", "Lviv lost power.", "Lviv")])
    world.story(b, 1, [ent("Kiev")], [fact("2022-09-20", "Kiev held a parade.", "Kiev"),
                                      fact("2022-W38", "That week Kiev was quiet.", "Kiev")])
    update_index(store)
    dates = lambda **kw: [m.date for m in merged_timeline(store, **kw)]  # noqa: E731
    assert dates() == ["2022-08", "2022-09-05", "2022-W38", "2022-09-20"]
    assert dates(newest_first=True) == ["2022-09-20", "2022-W38", "2022-09-05", "2022-08"]
    assert dates(entity="Kyiv") == ["2022-08", "2022-W38", "2022-09-20"]
    assert dates(entity=find_entity(store, "kyiv")) == dates(entity="Kiev")
    assert dates(feed_id=a) == ["2022-08", "2022-09-05"]
    assert dates(entity="Kyiv", feed_id=b) == ["2022-W38", "2022-09-20"]
    assert dates(since="2022-09") == ["2022-09-05", "2022-W38", "2022-09-20"]
    assert dates(until="2022-09-05") == ["2022-08", "2022-09-05"]
    assert dates(since="2022-09-06", until="2022-09-30") == ["2022-W38", "2022-09-20"]
    assert dates(limit=2) == ["2022-08", "2022-09-05"]
    assert dates(entity="Atlantis") == []


# --- Exports -------------------------------------------------------------------------------


def test_exports_parse_back_and_guard_formulas(store: Store, world: World) -> None:
    a, b = world.feed("=HYPERLINK(\"http://evil\")"), world.feed("Wire, Ltd \"quoted\"")
    world.story(a, 0, [ent("@Kyiv", aliases=("-Kiev",)), ent("Lviv")],
                [fact("2022-09-01", "+1 was said, \"in quotes\"; Kyiv.", "@Kyiv")])
    world.story(b, 1, [ent("Lviv")], [fact("2022-09-02", "[x](http://evil) *Lviv* was hit.",
                                           "Lviv")])
    update_index(store)
    items = merged_timeline(store)
    rows = list(csv.DictReader(io.StringIO(export_timeline(items, "csv"))))
    assert [r["date"] for r in rows] == ["2022-09-01", "2022-09-02"]
    assert rows[0]["fact"] == "'+1 was said, \"in quotes\"; Kyiv."
    assert rows[0]["sources"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1]["sources"] == "Wire, Ltd \"quoted\""
    data = json.loads(export_timeline(items, "json"))
    assert data[1]["fact"] == "[x](http://evil) *Lviv* was hit."
    assert data[0]["sources"][0]["feed"] == "=HYPERLINK(\"http://evil\")"
    md = export_timeline(items, "md")
    assert "## 2022-09-01" in md and "\\[x\\]" in md
    assert re.search(r"(?<!\\)\]\(", md) is None  # no live link

    listed = entities(store)
    erows = list(csv.DictReader(io.StringIO(export_entities(listed, "csv"))))
    assert {r["name"] for r in erows} == {"Lviv", "'@Kyiv"}
    assert next(r for r in erows if r["name"] == "Lviv")["stories"] == "2"
    assert next(r for r in erows if r["name"] == "'@Kyiv")["aliases"] == "'-Kiev"
    edata = json.loads(export_entities(listed, "json"))
    assert {e["name"] for e in edata} == {"Lviv", "@Kyiv"}
    assert "| Lviv | place | 2 |" in export_entities(listed, "md")
    with pytest.raises(ValueError):
        export_entities(listed, "xml")


def test_json_export_keeps_non_ascii(store: Store, world: World) -> None:
    f = world.feed("Українська правда")
    world.story(f, 0, [ent("Київ")], [fact("2022-09-01", "Київ готується.", "Київ")])
    update_index(store)
    assert "Українська правда" in export_timeline(merged_timeline(store), "json")
    assert "Київ" in export_entities(entities(store), "json")


# --- CLI -----------------------------------------------------------------------------------


def test_cli_timeline_and_entities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main
    from reader.paths import default_paths

    home = tmp_path / "wr"
    with Store(default_paths(home).ensure().db_file) as store:
        world = World(store)
        a, b = world.feed("Reuters"), world.feed("AP")
        world.story(a, 0, [ent("Kyiv"), ent("Vladimir Putin", "person")],
                    [fact("2022-09-10", "Missiles struck Kyiv on Saturday morning.", "Kyiv")])
        world.story(b, 1, [ent("Kiev")],
                    [fact("2022-09-10", "Missiles struck Kiev on Saturday morning.", "Kiev"),
                     fact("2022-09-12", "Power returned in Kiev.", "Kiev")])
    # Nothing is indexed yet: the commands index first.
    assert main(["--data-dir", str(home), "timeline", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["date"], d["outlets"]) for d in data] == [("2022-09-10", 2), ("2022-09-12", 1)]
    assert main(["--data-dir", str(home), "timeline", "--entity", "kyiv", "--feed", "AP",
                 "--since", "2022-09-11", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["fact"] for r in rows] == ["Power returned in Kiev."]
    assert main(["--data-dir", str(home), "entities", "--kind", "place", "--format", "json"]) == 0
    assert [(e["name"], e["stories"]) for e in json.loads(capsys.readouterr().out)] == [
        ("Kyiv", 2)]
    assert main(["--data-dir", str(home), "entities"]) == 0
    assert "| Vladimir Putin | person | 1 |" in capsys.readouterr().out
    assert main(["--data-dir", str(home), "timeline", "--entity", "Atlantis"]) == 1
    assert "no entity" in capsys.readouterr().err


def test_incremental_index_matches_a_rebuild(store: Store, world: World) -> None:
    """Stories added, re-analysed and deleted in random order leave the same index as
    indexing what remains from scratch. (Each fact's sentence here is either the same in
    words as another's or far from it, so folding does not depend on the order either.)"""
    rng = random.Random(5)
    names = ["Kyiv", "Kiev", "Kharkiv", "Kharkov", "Izium", "Izyum", "Lviv", "Odesa", "Odessa",
             "Zelensky", "Zelenskyy", "Volodymyr Zelenskiy", "Oleh Synyehubov"]
    feeds = [world.feed(f"f{i}") for i in range(4)]

    def analysis() -> tuple[list[Entity], list[TimelineFact]]:
        chosen = rng.sample(names, 4)
        ents = [ent(n, "person" if "Zel" in n or " " in n else "place", n=rng.randint(1, 4))
                for n in chosen]
        day = f"2022-09-{rng.randint(1, 9):02d}"
        return ents, [fact(day, f"{chosen[0]} and {chosen[1]} were in the news.", *chosen[:2])]

    ids: list[int] = []
    for step in range(60):
        ents, facts = analysis()
        ids.append(world.story(rng.choice(feeds), rng.randint(0, 30), ents, facts))
        if step % 7 == 3:
            store.store_analysis(rng.choice(ids), *analysis())
        if step % 9 == 8:
            update_index(store)
    update_index(store)
    store.remove_feed(feeds[1])
    world.story(feeds[0], 40, *analysis())
    update_index(store)

    def snapshot() -> list[tuple[Any, ...]]:
        return sorted((e.key, e.name, e.kind, e.stories, e.mentions, e.first_seen, e.last_seen,
                       sorted(e.aliases)) for e in entities(store, limit=100))

    def timeline() -> list[tuple[Any, ...]]:
        return [(m.date, m.sentence, sorted(s.story_id for s in m.sources))
                for m in merged_timeline(store)]

    incremental, merged = snapshot(), timeline()
    with store.db.transaction() as conn:
        for table in ("entity_index", "entity_story", "entity_form", "entity_alias",
                      "entity_dirty", "indexed_stories", "fact_index", "fact_entity"):
            conn.execute(f"DELETE FROM {table}")
    assert update_index(store) == store.count_stories()
    assert snapshot() == incremental
    assert len(incremental) >= 5 and all(row[3] > 0 for row in incremental)
    assert sorted(timeline()) == sorted(merged)


# --- The reader's corrections --------------------------------------------------------------


def test_corrections_are_honoured_and_update_one_story(store: Store, world: World) -> None:
    f, g = world.feed("f"), world.feed("g")
    s1 = world.story(f, 0, [ent("Kyiv", n=2), ent("Washington", "person"),
                            ent("Olena Kovalenko", "person"), ent("Kovalenko", "person")],
                     [fact("2022-09-01", "Washington called Kyiv.", "Washington", "Kyiv")])
    world.story(g, 1, [ent("Kyiv"), ent("Washington", "place"), ent("Lviv")])
    world.story(g, 2, [ent("Washington", "place")])
    update_index(store)
    assert by_name(store)["Washington"].stories == 3
    assert by_name(store)["Kovalenko"].stories == 1  # a lone surname is its own record

    store.remove_entity(s1, "Kyiv")
    store.retype_entity(s1, "Washington", "place")
    store.merge_entities(s1, "Kovalenko", "Olena Kovalenko")
    assert update_index(store) == 1  # only the corrected story is indexed again
    found = by_name(store)
    assert (found["Kyiv"].stories, found["Kyiv"].mentions) == (1, 1)
    assert found["Kyiv"].first_seen == DAY0 + dt.timedelta(days=1)
    assert (found["Washington"].stories, found["Washington"].kind) == (3, "place")
    assert "Kovalenko" not in found
    kovalenko = found["Olena Kovalenko"]
    assert (kovalenko.stories, kovalenko.mentions) == (1, 2)
    # The merged name means the target in that story only: it is no alias everywhere.
    assert "Kovalenko" not in kovalenko.aliases
    kyiv = find_entity(store, "Kyiv")
    assert kyiv is not None and merged_timeline(store, entity=kyiv) == []
    assert [m.sentence for m in merged_timeline(store, entity="Washington")] == [
        "Washington called Kyiv."]
    assert len(merged_timeline(store)) == 1  # the story's facts stay on the timeline

    [first] = [c for c in store.corrections(s1) if c.action == "remove"]
    assert store.undo_correction(first.id)
    assert update_index(store) == 1
    assert by_name(store)["Kyiv"].stories == 2


def test_corrections_match_a_rebuild(store: Store, world: World) -> None:
    f = world.feed("f")
    s1 = world.story(f, 0, [ent("Kyiv"), ent("Kiev"), ent("Izium")])
    world.story(f, 1, [ent("Izyum", n=3), ent("Kyiv")])
    update_index(store)
    store.merge_entities(s1, "Kiev", "Kyiv")
    store.remove_entity(s1, "Izium")
    update_index(store)
    before = sorted((e.key, e.stories, e.mentions) for e in entities(store))
    with store.db.transaction() as conn:
        for table in ("entity_index", "entity_story", "entity_form", "entity_alias",
                      "entity_dirty", "indexed_stories", "fact_index", "fact_entity"):
            conn.execute(f"DELETE FROM {table}")
    update_index(store)
    assert sorted((e.key, e.stories, e.mentions) for e in entities(store)) == before
    assert dict((k, (s, m)) for k, s, m in before)[find_entity(store, "Izium") or ""] == (1, 3)


# --- Pages for the screens -----------------------------------------------------------------


def test_timeline_pages_and_entity_offsets_cover_everything(store: Store, world: World) -> None:
    from reader.index.timeline import timeline_page

    f, g = world.feed("f"), world.feed("g")
    for day in range(12):
        world.story(f, day, [ent(f"Town{day}"), ent("Kyiv")],
                    [fact(f"2022-09-{day + 1:02d}", f"Town{day} was shelled on day {day}."),
                     fact(f"2022-09-{day + 1:02d}", f"Repairs began in Town{day} at once.")])
        world.story(g, day, [ent("Kyiv")],
                    [fact(f"2022-09-{day + 1:02d}", f"Town{day} was shelled on day {day}.")])
    update_index(store)
    whole = merged_timeline(store)
    for newest in (False, True):
        pages: list[MergedFact] = []
        after = None
        while True:
            page, after = timeline_page(store, size=5, after=after, newest_first=newest)
            pages += page
            if after is None:
                break
            assert len(page) >= 5
        expected = whole if not newest else merged_timeline(store, newest_first=True)
        assert [(m.date, m.sentence) for m in pages] == [(m.date, m.sentence) for m in expected]
    assert all(m.outlets == 2 for m in whole if "shelled" in m.sentence)
    listed = entities(store, limit=5) + entities(store, limit=5, offset=5) + entities(
        store, limit=5, offset=10)
    assert [e.key for e in listed] == [e.key for e in entities(store, limit=15)]


def test_timeline_exports_say_dates_in_words(store: Store, world: World) -> None:
    f = world.feed("Wire")
    world.story(f, 0, [ent("Kyiv")], [fact("2022-W37", "Kyiv was shelled all week.", "Kyiv"),
                                      fact("2022-WI", "Kyiv froze in the winter.", "Kyiv")])
    update_index(store)
    items = merged_timeline(store)
    md = export_timeline(items, "md")
    assert "## week of 12 Sep 2022" in md and "## winter 2022" in md
    assert "W37" not in md and "-WI" not in md
    rows = list(csv.DictReader(io.StringIO(export_timeline(items, "csv"))))
    assert [r["date"] for r in rows] == ["week of 12 Sep 2022", "winter 2022"]
    data = json.loads(export_timeline(items, "json"))
    assert [(d["date"], d["value"]) for d in data] == [("week of 12 Sep 2022", "2022-W37"),
                                                       ("winter 2022", "2022-WI")]
