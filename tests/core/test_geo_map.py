"""Maps of stored stories: the developing-story query, GeoJSON and SVG output, the character
renderer, the base map, and `warreader map`."""

from __future__ import annotations

import datetime as dt
import json
import math
import xml.etree.ElementTree as ET

import pytest

from reader.cli import main
from reader.export.html import to_html
from reader.geo.basemap import load_basemap
from reader.geo.export import to_geojson, to_svg
from reader.geo.model import Marker, PlaceMap
from reader.geo.places import day_of, developing, period_bounds, stories_at, story_map
from reader.geo.render import render
from reader.geo.view import core, fit
from reader.index.build import update_index
from reader.models import Entity, ParsedEntry
from reader.paths import default_paths
from reader.store import Store

DAY0 = dt.datetime(2022, 9, 1, 12, tzinfo=dt.UTC)
HOSTILE = "<script>alert('x')</script> & \"Kyiv\" ]]> \x1b[31m"


def ent(name: str, kind: str = "place", n: int = 1) -> Entity:
    return Entity(name, kind, (), tuple((i * 10, i * 10 + 4) for i in range(n)))


class World:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.n = 0

    def feed(self, name: str) -> int:
        return self.store.add_feed(f"http://127.0.0.1/{name}.xml", name).id

    def story(self, feed_id: int, day: int, *entities: Entity) -> int:
        self.n += 1
        entry = ParsedEntry(guid=f"g{self.n}", title=f"Story {self.n}",
                            url=f"http://127.0.0.1/s{self.n}",
                            published=DAY0 + dt.timedelta(days=day))
        [story_id] = self.store.store_entries(feed_id, [entry], ["body"])
        self.store.store_analysis(story_id, list(entities), [])
        return story_id


def kharkiv_front(store: Store) -> dict[str, int]:
    w = World(store)
    a, b = w.feed("Ledger"), w.feed("Wire")
    ids = {
        "s1": w.story(a, 0, ent("Balakliia", n=3), ent("Kharkiv"), ent("Kyiv"),
                      ent("Volodymyr Zelensky", "person")),
        "s2": w.story(a, 2, ent("Kupiansk", n=4), ent("Kharkiv region"), ent("Izium")),
        "s3": w.story(b, 3, ent("Izyum", n=5), ent("Kupyansk"), ent("Nowhereivka")),
        "s4": w.story(b, 10, ent("Lyman", n=2), ent("Donetsk region"), ent("Izium")),
    }
    update_index(store)
    return ids


def test_developing_story_windows_and_filters(store: Store) -> None:
    ids = kharkiv_front(store)
    dev = developing(store)
    assert dev.first_day == day_of(dt.date(2022, 9, 1))
    assert dev.last_day == day_of(dt.date(2022, 9, 11))
    whole = dev.window()
    by = {m.name: m for m in whole.markers}
    # Izium and Izyum are one place in the index, named in three stories.
    izium = next(m for m in whole.markers if m.name in ("Izium", "Izyum"))
    assert izium.weight == 3 and izium.kind == "settlement"
    assert izium.first_seen is not None and izium.first_seen.date() == dt.date(2022, 9, 3)
    assert izium.last_seen is not None and izium.last_seen.date() == dt.date(2022, 9, 11)
    assert "Volodymyr Zelensky" not in by
    assert [p.name for p in whole.unplaced] == ["Nowhereivka"]
    assert by["Kharkiv region"].kind == "region"
    assert (whole.since, whole.until) == (dt.date(2022, 9, 1), dt.date(2022, 9, 11))

    first_week = dev.window(dev.first_day, dev.first_day + 6)
    assert "Lyman" not in {m.name for m in first_week.markers}
    assert next(m for m in first_week.markers if m.name in ("Izium", "Izyum")).weight == 2

    wire = store.find_feed("Wire")
    assert wire is not None
    only_wire = developing(store, feed_id=wire.id).window()
    assert "Balakliia" not in {m.name for m in only_wire.markers}
    with_lyman = developing(store, entity="Lyman").window()
    assert {m.name for m in with_lyman.markers} >= {"Lyman", "Donetsk region"}
    assert "Balakliia" not in {m.name for m in with_lyman.markers}
    early = developing(store, since="2022-09-01", until="2022-09-03").window()
    assert "Lyman" not in {m.name for m in early.markers}
    assert developing(store, entity="No such entity").window().markers == ()
    assert stories_at(store, izium.key, dev.first_day, dev.last_day) == [ids["s4"], ids["s3"],
                                                                         ids["s2"]]


def test_period_bounds() -> None:
    assert period_bounds("2024", False) == dt.date(2024, 1, 1)
    assert period_bounds("2024-02", True) == dt.date(2024, 2, 29)
    assert period_bounds("2024-02-10", True) == dt.date(2024, 2, 10)
    with pytest.raises(ValueError):
        period_bounds("yesterday", False)


def validate_geojson(doc: dict) -> None:
    """The parts of RFC 7946 a FeatureCollection of Points must meet."""
    assert doc["type"] == "FeatureCollection"
    assert isinstance(doc["features"], list)
    for f in doc["features"]:
        assert f["type"] == "Feature"
        geom = f["geometry"]
        assert geom["type"] == "Point"
        lon, lat = geom["coordinates"]
        assert isinstance(lon, float | int) and isinstance(lat, float | int)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = f["properties"]
        assert isinstance(props, dict)
        for key in ("name", "kind", "stories", "first_seen", "last_seen"):
            assert key in props
        for key in ("first_seen", "last_seen"):
            assert props[key] is None or dt.date.fromisoformat(props[key])
    if "bbox" in doc:
        w, s, e, n = doc["bbox"]
        assert w <= e and s <= n
    json.loads(json.dumps(doc))


def test_geojson(store: Store) -> None:
    kharkiv_front(store)
    doc = to_geojson(developing(store).window())
    validate_geojson(doc)
    names = {f["properties"]["name"] for f in doc["features"]}
    assert {"Balakliia", "Kharkiv", "Lyman"} <= names
    kupiansk = next(f for f in doc["features"] if f["properties"]["name"] in ("Kupiansk",
                                                                              "Kupyansk"))
    lon, lat = kupiansk["geometry"]["coordinates"]
    assert abs(lat - 49.71) < 0.2 and abs(lon - 37.62) < 0.2  # [lon, lat] order
    assert doc["unplaced"] == [{"name": "Nowhereivka", "reason": "not in the gazetteer"}]


def test_svg_escapes_every_name() -> None:
    markers = (Marker("k", HOSTILE, "settlement", 49.98, 36.25, 3),
               Marker("r", "Kharkiv <Oblast>", "region", 49.6, 36.6, 1))
    pm = PlaceMap(markers, (), title=HOSTILE)
    svg = to_svg(pm, load_basemap())
    root = ET.fromstring(svg)  # well-formed whatever the names hold
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>alert('x')</script> & \"Kyiv\" ]]>" in texts  # the escape sequence gone
    assert "<script" not in svg and "Kharkiv <Oblast>" not in svg
    assert not any(el.tag.endswith("script") for el in root.iter())


def test_html_save_has_an_escaped_map() -> None:
    record = {"title": "Hostile <b>title</b>", "source": "Wire", "author": None,
              "published": "2022-09-10T12:00:00+00:00", "url": "http://127.0.0.1/s",
              "tags": [], "body": "Text.", "notes": [], "highlights": [], "timeline": [],
              "entities": [{"name": "Kupiansk", "kind": "place", "aliases": [], "count": 4},
                           {"name": "Izium", "kind": "place", "aliases": [], "count": 2},
                           {"name": HOSTILE, "kind": "place", "aliases": [], "count": 1}]}
    page = to_html(record)
    assert '<section class="map">' in page and "<svg" in page
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    ET.fromstring(svg)
    assert "<script" not in page
    assert "Not placed: &lt;script&gt;" in page


def test_render_grid() -> None:
    markers = [Marker("kup", "Kupiansk", "settlement", 49.71, 37.62, 8),
               Marker("izi", "Izium", "settlement", 49.21, 37.26, 4),
               Marker("bal", HOSTILE, "settlement", 49.46, 36.86, 1),
               Marker("reg", "Kharkiv region", "region", 49.6, 36.5, 2),
               Marker("lon", "London", "settlement", 51.51, -0.13, 1)]
    bm = load_basemap()
    view = fit(markers, 80 * 2, 20 * 4)
    grid = render(view, 80, 20, markers, basemap=bm, selected="izi",
                  region=bm.region("Kharkiv Oblast"))
    assert len(grid.rows) == 20 and all(len(r) == 80 for r in grid.rows)
    assert grid.hidden == 1  # London is off this map
    twin = render(view, 80, 20, [*markers, Marker("iz2", "Izyum", "settlement", 49.21, 37.26, 1)])
    assert (twin.hidden, twin.stacked) == (1, 1)  # drawn under Izium, not "outside"
    drawn = {d.marker.key: d for d in grid.drawn}
    assert set(drawn) == {"kup", "izi", "bal", "reg"}
    assert grid.rows[drawn["kup"].row][drawn["kup"].col] == ("◉", "marker")
    assert grid.rows[drawn["izi"].row][drawn["izi"].col][1] == "selected"
    assert grid.rows[drawn["reg"].row][drawn["reg"].col] == ("◆", "region")
    text = grid.text()
    assert "Kupiansk" in text and "Izium" in text
    assert "\x1b" not in text
    assert any(tag == "area" for row in grid.rows for _, tag in row)
    assert any(tag == "oblast" for row in grid.rows for _, tag in row)
    wide = render(fit(markers, 160, 80, everything=True), 80, 20, markers, basemap=bm)
    assert any(tag == "border" for row in wide.rows for _, tag in row)
    # Labels never overlap: every label run is one name, left intact.
    for row in grid.rows:
        runs = "".join(c if t.startswith("label") else "|" for c, t in row).split("|")
        for run in filter(None, runs):
            assert run in {"Kupiansk", "Izium", "Kharkiv region"} or run.startswith("<script>")


def test_fit_keeps_to_where_the_story_is() -> None:
    markers = [Marker("kup", "Kupiansk", "settlement", 49.71, 37.62, 8),
               Marker("izi", "Izium", "settlement", 49.21, 37.26, 6),
               Marker("bal", "Balakliia", "settlement", 49.46, 36.86, 4),
               Marker("lon", "London", "settlement", 51.51, -0.13, 1),
               Marker("ru", "Russia", "country", 61.0, 97.0, 9)]
    assert {m.key for m in core(markers)} == {"kup", "izi", "bal"}
    view = fit(markers, 160, 80)
    lon0, lat0, lon1, lat1 = view.bounds(160, 80)
    assert lon0 < 36.86 and lon1 > 37.62 and lat0 < 49.21 and lat1 > 49.71
    assert lon1 - lon0 < 5
    everything = fit(markers, 160, 80, everything=True).bounds(160, 80)
    assert everything[0] < -0.13


def inside(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


@pytest.mark.parametrize(("oblast", "lon", "lat"), [
    ("Kharkiv Oblast", 36.2304, 49.9935), ("Kharkiv Oblast", 37.6156, 49.7105),
    ("Luhansk Oblast", 38.1531, 49.41), ("Donetsk Oblast", 37.807, 48.9866),
    ("Lviv Oblast", 24.0316, 49.8397), ("Autonomous Republic of Crimea", 34.1024, 44.9521),
    ("Kyiv", 30.5234, 50.4501), ("Odesa Oblast", 30.7233, 46.4825 + 0.02),
])
def test_oblast_outlines_hold_their_towns(oblast: str, lon: float, lat: float) -> None:
    shape = load_basemap().region(oblast)
    assert shape is not None
    assert any(inside(lon, lat, r) for r in shape.rings)


def test_base_map_draws_crimea_in_ukraine() -> None:
    bm = load_basemap()
    russia = bm.country("RU")
    assert russia is not None
    assert not any(inside(34.1, 45.0, r) for r in russia.rings)
    assert bm.region("Crimea") is None or bm.region("Crimea") == bm.region(
        "Autonomous Republic of Crimea")
    assert len(bm.regions) == 27 and len(bm.countries) > 150
    for shape in bm.countries + bm.regions:
        for ring in shape.rings:
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)
            assert not any(math.isnan(x) for x, _ in ring)


def test_story_map_from_entities() -> None:
    pm = story_map([ent("Kupiansk", n=5), ent("Kharkiv region", n=2), ent("Nowhereivka"),
                    ent("Volodymyr Zelensky", "person", 9)], "A story")
    assert [m.name for m in pm.markers] == ["Kupiansk", "Kharkiv region"]
    region = pm.markers[1]
    shape = load_basemap().region("Kharkiv Oblast")
    assert shape is not None
    # Drawn at the oblast's centre, not at its capital.
    assert (region.lon, region.lat) == shape.centre
    assert [p.name for p in pm.unplaced] == ["Nowhereivka"]


def test_cli_map(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = default_paths().db_file
    db.parent.mkdir(parents=True, exist_ok=True)
    real = Store(db)
    try:
        kharkiv_front(real)
    finally:
        real.close()
    assert main(["map"]) == 0
    doc = json.loads(capsys.readouterr().out)
    validate_geojson(doc)
    assert len(doc["features"]) >= 5
    assert main(["map", "--entity", "Lyman", "--since", "2022-09-05", "--format", "svg"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.tag.endswith("svg")
    assert main(["map", "--entity", "Atlantis"]) == 1
    assert "no entity is called" in capsys.readouterr().err
    assert main(["map", "--feed", "Nope"]) == 1
    with pytest.raises(SystemExit) as exc:
        main(["map", "--since", "last week"])
    assert exc.value.code == 2
