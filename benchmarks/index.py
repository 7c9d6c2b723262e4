"""Entity index and merged timeline speed on a large synthetic cache.

    uv run python benchmarks/index.py [--stories 10000] [--feeds 20] [--runs 5] [--db PATH]

Builds a cache of N stories over a year (written with Store.store_entries and
Store.store_analysis, ~15 entities and ~5 facts each, drawn with a skewed distribution from
a pool of 400 names with variant spellings and surname aliases, and from 2,500 events that
several outlets report in slightly different words), then times: the first update_index, an
incremental update_index after 100 more stories, and the reads the E and T screens make,
against the 200 ms target. Reads report the median of --runs runs on a fresh connection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reader.index.build import update_index
from reader.index.queries import entities, entity_detail, sparkline, trends
from reader.index.timeline import MergedFact, merged_timeline
from reader.models import Entity, ParsedEntry, TimelineFact
from reader.store import Store

T = TypeVar("T")
TARGET_MS = 200.0
START = dt.datetime(2022, 1, 1, 8, tzinfo=dt.UTC)
VARIANTS = {"Kyiv": ["Kiev"], "Kharkiv": ["Kharkov"], "Kupiansk": ["Kupyansk"],
            "Izium": ["Izyum"], "Zaporizhzhia": ["Zaporozhye"], "Odesa": ["Odessa"],
            "Volodymyr Zelenskiy": ["Zelensky", "Zelenskyy"]}
FIRST = ["Oleh", "Ivan", "Anna", "Maria", "Petro", "Olena", "Dmytro", "Sergei", "Yulia", "Andriy"]
LAST = ["Koval", "Bondar", "Shevchuk", "Melnyk", "Tkachenko", "Kravets", "Lysenko", "Marchenko",
        "Rudenko", "Savchenko", "Hrytsenko", "Pavlenko", "Zinchenko", "Moroz", "Polishchuk"]
VERBS = ["shelled", "struck", "visited", "captured", "defended", "evacuated", "attacked",
         "reinforced", "abandoned", "surrounded", "inspected", "bombarded"]
OBJECTS = ["power station", "railway bridge", "grain terminal", "hospital", "checkpoint",
           "ammunition depot", "airfield", "river crossing", "supply line", "village"]


def name_pool(rng: random.Random) -> list[tuple[str, str, tuple[str, ...]]]:
    """(canonical name, kind, aliases): 400 names with some variants and surnames."""
    pool: list[tuple[str, str, tuple[str, ...]]] = [
        (n, "person" if " " in n else "place", tuple(v)) for n, v in VARIANTS.items()]
    for i in range(160):
        pool.append((f"Town{i}sk", "place", ()))
    people = sorted({f"{f} {last}" for f in FIRST for last in LAST})
    for full in rng.sample(people, 140):
        pool.append((full, "person", (full.split()[-1],)))
    for i in range(93):
        pool.append((f"{rng.choice(['Brigade', 'Ministry', 'Council', 'Agency'])} {i}",
                     "organization", ()))
    return pool


def events(rng: random.Random, pool: list[tuple[str, str, tuple[str, ...]]], n: int
           ) -> list[tuple[str, str, list[str]]]:
    """(date value, sentence, names) for n events over the year."""
    out = []
    for _ in range(n):
        day = START.date() + dt.timedelta(days=rng.randrange(365))
        r = rng.random()
        date = (day.isoformat() if r < 0.8 else day.isoformat()[:7] if r < 0.9
                else f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}" if r < 0.97
                else "PRESENT_REF")
        who, where = rng.choice(pool)[0], rng.choice(pool)[0]
        sentence = (f"{who} {rng.choice(VERBS)} the {rng.choice(OBJECTS)} near {where} "
                    f"after {rng.randint(2, 90)} hours of fighting in the region")
        out.append((date, sentence, [who, where]))
    return out


def retell(rng: random.Random, sentence: str) -> str:
    """The same event as another outlet might write it: a word dropped or added."""
    words = sentence.split()
    if rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    else:
        words.insert(rng.randrange(len(words)), rng.choice(["reportedly", "heavily", "again"]))
    return " ".join(words) + "."


def add_stories(store: Store, rng: random.Random, feeds: list[int], count: int, offset: int,
                pool: list[tuple[str, str, tuple[str, ...]]],
                evs: list[tuple[str, str, list[str]]]) -> None:
    weights = [1 / (i + 1) ** 0.8 for i in range(len(pool))]  # a few names are everywhere
    for feed_index, feed_id in enumerate(feeds):
        share = range(offset + feed_index, offset + count, len(feeds))
        entries = [ParsedEntry(guid=f"g{i}", title=f"Story {i}", url=f"http://127.0.0.1/{i}",
                               published=START + dt.timedelta(minutes=i * 52)) for i in share]
        ids = store.store_entries(feed_id, entries, ["body"] * len(entries))
        for story_id in ids:
            chosen = {p[0]: p for p in rng.choices(pool, weights, k=18)}
            ents = []
            for name, kind, aliases in list(chosen.values())[:15]:
                spelled = rng.choice([name, *aliases]) if aliases and rng.random() < 0.3 else name
                ents.append(Entity(spelled, kind, tuple(a for a in (name, *aliases)
                                                        if a != spelled)[:1],
                                   tuple((k, k + 4) for k in range(rng.randint(1, 6)))))
            facts = [TimelineFact(date, (10 * k, 10 * k + 8), retell(rng, sentence),
                                  tuple(names))
                     for k, (date, sentence, names) in enumerate(rng.sample(evs, 5))]
            store.store_analysis(story_id, ents, facts)


@dataclass
class Corpus:
    """The synthetic cache: outlets, a pool of names and a year of events, seeded so every
    run (and both index benchmarks) builds the same stories."""

    rng: random.Random
    pool: list[tuple[str, str, tuple[str, ...]]]
    evs: list[tuple[str, str, list[str]]]
    feeds: list[int]

    @classmethod
    def create(cls, store: Store, outlets: int) -> Corpus:
        rng = random.Random(7)
        pool = name_pool(rng)
        evs = events(rng, pool, 2500)
        feeds = [store.add_feed(f"http://127.0.0.1/feed{i}.xml", f"Outlet {i}").id
                 for i in range(outlets)]
        return cls(rng, pool, evs, feeds)

    def add(self, store: Store, count: int, offset: int) -> None:
        add_stories(store, self.rng, self.feeds, count, offset, self.pool, self.evs)


def timed(fn: Callable[[Store], T], runs: int, path: Path) -> tuple[float, T]:
    """Median milliseconds over `runs`, each on a fresh connection (as a new screen would)."""
    times = []
    for _ in range(runs):
        with Store(path) as fresh:
            t0 = time.perf_counter()
            result = fn(fresh)
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def line(label: str, ms: float, note: str = "", target: bool = True) -> None:
    verdict = ("ok " if ms <= TARGET_MS else "SLOW") if target else "    "
    print(f"  {verdict} {label:<46} {ms:9.1f} ms  {note}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--stories", type=int, default=10_000)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", type=Path, help="build here (default: a temporary folder)")
    args = ap.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "bench.sqlite3"
    with Store(path) as store:
        corpus = Corpus.create(store, args.feeds)
        t0 = time.perf_counter()
        corpus.add(store, args.stories, 0)
        build = time.perf_counter() - t0
        facts = store.db.query("SELECT count(*) FROM story_facts")[0][0]
        ents = store.db.query("SELECT count(*) FROM story_entities")[0][0]
        print(f"Built {args.stories} stories ({ents} entity rows, {facts} facts) in {build:.1f} s"
              f" at {path}")
        t0 = time.perf_counter()
        n = update_index(store)
        first = (time.perf_counter() - t0) * 1000
        corpus.add(store, 100, args.stories)
        t0 = time.perf_counter()
        more = update_index(store)
        incremental = (time.perf_counter() - t0) * 1000
    print(f"Index ({TARGET_MS:.0f} ms target for what a screen does when it opens):")
    line(f"update_index, first ({n} stories)", first, "(once, in a worker)", target=False)
    line(f"update_index, incremental ({more} stories)", incremental, "(after a refresh)",
         target=False)
    runs = args.runs
    ms, listed = timed(entities, runs, path)
    line("entities(limit=200)", ms, f"{len(listed)} rows; top: {listed[0].name} "
         f"({listed[0].stories} stories)")
    ms, _ = timed(lambda s: entities(s, kind="person"), runs, path)
    line("entities(kind='person')", ms)
    ms, found = timed(lambda s: entities(s, query="kov"), runs, path)
    line("entities(query='kov')", ms, f"{len(found)} rows")
    keys = [e.key for e in listed]
    ms, spark = timed(lambda s: trends(s, keys, days=30), runs, path)
    line("trends(200 keys, 30 days)", ms, sparkline(spark[keys[0]]))
    top = listed[0].key
    ms, detail = timed(lambda s: entity_detail(s, top), runs, path)
    assert detail is not None
    line(f"entity_detail({listed[0].name!r})", ms,
         f"{len(detail.stories)} stories, {len(detail.related)} related, "
         f"{len(detail.facts)} facts")
    cases: list[tuple[str, dict[str, Any]]] = [
        ("merged_timeline(limit=500)", {}),
        ("merged_timeline(limit=500, newest_first)", {"newest_first": True}),
        (f"merged_timeline(entity={listed[0].name!r})", {"entity": top}),
        (f"merged_timeline(entity={listed[-1].name!r})", {"entity": keys[-1]}),
        ("merged_timeline(feed_id=1)", {"feed_id": corpus.feeds[0]}),
        ("merged_timeline(since/until a month)", {"since": "2022-06", "until": "2022-06"}),
    ]
    for label, kwargs in cases:
        def read(s: Store, kw: dict[str, Any] = kwargs) -> list[MergedFact]:
            return merged_timeline(s, limit=500, **kw)

        ms, items = timed(read, runs, path)
        sources = sum(len(m.sources) for m in items)
        line(label, ms, f"{len(items)} entries from {sources} facts")
    ms, everything = timed(merged_timeline, 1, path)
    line("merged_timeline() without a limit", ms,
         f"{len(everything)} entries (for exports)", target=False)
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
