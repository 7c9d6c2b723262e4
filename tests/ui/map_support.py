"""A cache of made-up stories about the Kharkiv counteroffensive for the map tests: real
place names (so the real gazetteer places them) over two weeks, from two outlets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual.pilot import Pilot

from reader.index.build import update_index
from reader.models import Entity, ParsedEntry
from reader.store import Store
from tests.ui.support import press, settle, spans

if TYPE_CHECKING:
    from reader.ui.widgets.map_view import MapView

DAY0 = dt.datetime(2022, 9, 6, 9, tzinfo=dt.UTC)
STORIES = [
    # day, outlet, title, places named (each name appears in the body once per mention)
    (0, 0, "Push towards Balakliia", ["Balakliia", "Balakliia", "Kharkiv", "Kyiv"]),
    (2, 1, "Troops enter Kupiansk", ["Kupiansk", "Kupiansk", "Kupiansk", "Izium",
                                     "Kharkiv region", "Nowhereivka"]),
    (3, 0, "Izium retaken", ["Izium", "Izium", "Izium", "Balakliia", "Balakliia", "Kupiansk",
                             "Moscow"]),
    (4, 1, "Power cut in Kharkiv", ["Kharkiv", "Kharkiv", "Poltava", "Sumy"]),
    (9, 0, "Fighting along the Oskil", ["Kupiansk", "Svatove", "Luhansk region"]),
    (12, 1, "Lyman encircled", ["Lyman", "Lyman", "Sloviansk", "Kramatorsk", "Svatove"]),
]


def body_for(places: list[str]) -> str:
    lines = [f"Reports from {p} continued on the day." for p in places]
    return "\n\n".join(["A made-up story for the map tests.", *lines,
                        *(f"Paragraph {i}." for i in range(20))])


def front_store(path: Path, stories: list[tuple[int, int, str, list[str]]] = STORIES) -> Store:
    store = Store(path)
    feeds = [store.add_feed(f"http://127.0.0.1:9/{n}.xml", n).id for n in ("Ledger", "Wire")]
    for i, (day, outlet, title, places) in enumerate(stories):
        body = body_for(places)
        entry = ParsedEntry(guid=f"m{i}", title=title, url=f"http://127.0.0.1:9/m/{i}",
                            published=DAY0 + dt.timedelta(days=day))
        [story_id] = store.store_entries(feeds[outlet], [entry], [body])
        entities = [Entity(name, "place", (), spans(body, f"from {name} ")[:places.count(name)])
                    for name in dict.fromkeys(places)]
        entities = [Entity(e.name, e.kind, (), tuple((a + 5, b - 1) for a, b in e.mentions))
                    for e in entities]
        store.store_analysis(story_id, entities, [])
    update_index(store)
    return store


def map_view(pilot: Pilot) -> MapView:
    from reader.ui.widgets.map_view import MapView  # the map code stays out of start-up

    return pilot.app.screen.query_one(MapView)


async def developing_map(pilot: Pilot) -> MapView:
    """From the main screen as it starts: the entity index (E), then its map (M)."""
    await settle(pilot)
    await press(pilot, "E")
    await press(pilot, "M")
    return map_view(pilot)
