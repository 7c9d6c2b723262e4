"""Stores filled for the UI tests, and tests of the UI's small pure helpers.

The stories here are made up for the tests; the app itself only ever shows what a Store holds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reader.models import Entity, ParsedEntry, TimelineFact
from reader.store import Store
from reader.ui.data.timefmt import relative
from reader.ui.widgets.side_pane import group_entities, sort_facts
from reader.ui.widgets.story_list import fit

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)
HOSTILE = "[bold red]pwn[/] \x1b[2J"

BODY = """The governor of the region, Olena Kovalenko, said on Monday that shelling hit Kharkiv.

## What happened

Kovalenko told reporters that the city council of Kharkiv had opened shelters. The
[United Nations](https://example.org/un) called for calm.

Repairs began on 3 March 2025, according to the council, and Kovalenko visited on 5 March.

Further paragraphs follow so that the story is long enough to scroll.
""" + "\n".join(f"Paragraph {i} about the situation in the region." + "\n" for i in range(40))


def clock() -> dt.datetime:
    return NOW


def spans(text: str, word: str) -> tuple[tuple[int, int], ...]:
    out = []
    start = text.find(word)
    while start >= 0:
        out.append((start, start + len(word)))
        start = text.find(word, start + 1)
    return tuple(out)


def fill_store(path: Path, *, feeds: int = 2, per_feed: int = 3, hostile: bool = False,
               analysed: bool = True) -> Store:
    """A store with `feeds` feeds of `per_feed` stories each, published an hour apart."""
    store = Store(path)
    n = 0
    for f in range(feeds):
        feed = store.add_feed(f"http://127.0.0.1:9/feed/{f}.xml", f"Feed {f}")
        entries = []
        for i in range(per_feed):
            title = f"Story {f}-{i}" + (f" {HOSTILE}" if hostile and i == 0 else "")
            entries.append(ParsedEntry(
                guid=f"g{f}-{i}", title=title, url=f"http://127.0.0.1:9/a/{f}/{i}.html",
                published=NOW - dt.timedelta(hours=n + 1), author="A. Reporter"))
            n += 1
        store.store_entries(feed.id, entries, [BODY] * len(entries), feed_title=f"Feed {f}")
    if analysed:
        for story in store.stories(limit=10_000):
            store.store_analysis(story.id, sample_entities(), sample_facts())
    return store


def sample_entities() -> list[Entity]:
    return [
        Entity("Olena Kovalenko", "person", ("Kovalenko",),
               spans(BODY, "Olena Kovalenko") + spans(BODY, "Kovalenko told")
               + spans(BODY, "Kovalenko visited")),
        Entity("Kharkiv", "place", (), spans(BODY, "Kharkiv")),
        Entity("United Nations", "organization", (), spans(BODY, "United Nations")),
    ]


def sample_facts() -> list[TimelineFact]:
    visit = BODY.index("Repairs began")
    monday = BODY.index("on Monday")
    return [
        TimelineFact("2025-03-05", (visit, visit + 60), "Kovalenko visited on 5 March.",
                     ("Olena Kovalenko",)),
        TimelineFact("2025-03-10", (monday, monday + 9), "Shelling hit Kharkiv, the governor "
                     "said on Monday.", ("Kharkiv",), relative=True),
        TimelineFact("2025-03-03", (visit, visit + 30), "Repairs began in Kharkiv.", ()),
    ]


def test_relative_times() -> None:
    assert relative(NOW - dt.timedelta(seconds=20), NOW) == "now"
    assert relative(NOW - dt.timedelta(minutes=5), NOW) == "5m"
    assert relative(NOW - dt.timedelta(hours=3), NOW) == "3h"
    assert relative(NOW - dt.timedelta(days=2), NOW) == "2d"
    assert relative(NOW - dt.timedelta(days=20), NOW) == "Feb 18"
    assert relative(NOW - dt.timedelta(days=400), NOW) == "Feb 4, 2024"
    assert relative(None, NOW) == ""


def test_fit_cuts_by_cells() -> None:
    assert fit("hello", 10) == "hello"
    assert fit("hello world", 6) == "hello…"
    assert fit("战争新闻报道", 5) == "战争…"
    assert fit("anything", 0) == ""


def test_entities_grouped_by_kind_in_salience_order() -> None:
    ents = [Entity("B", "place"), Entity("A", "person"), Entity("C", "unit"),
            Entity("D", "person")]
    groups = group_entities(ents)
    assert [g for g, _ in groups] == ["People", "Places", "Other"]
    assert [e.name for e in groups[0][1]] == ["A", "D"]


def test_facts_oldest_first() -> None:
    assert [f.date for f in sort_facts(sample_facts())] == ["2025-03-03", "2025-03-05",
                                                             "2025-03-10"]
