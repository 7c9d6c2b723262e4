"""The places of one story, or of the developing story, ready to map.

    story_map(entities, title)                          -> PlaceMap (weights: mentions)
    developing(store, entity=, feed_id=, since=, until=) -> Developing
    Developing.window(first_day, last_day)              -> PlaceMap (weights: stories)
    stories_at(store, key, first_day, last_day, ...)    -> story ids, newest first

Days are UTC day numbers (unix time // 86400), as the entity index stores them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.geo.basemap import load_basemap
from reader.geo.model import Marker, PlaceMap
from reader.geo.resolve import Placed, geocode
from reader.models import Entity
from reader.store import Store
from reader.store.places import PlaceFilter
from reader.text import clean_line

DAY = 86400
LIMIT = 400  # places on one developing-story map: the most reported


def _centre(p: Placed) -> tuple[float, float]:
    """(lat, lon) to draw a place at: an oblast or country at the centre of its outline
    (the gazetteer gives an oblast's capital and a rough country centre)."""
    assert p.place is not None
    if p.place.kind in ("region", "country"):
        bm = load_basemap()
        shape = bm.region(p.place.name) if p.place.kind == "region" else bm.country(
            p.place.country)
        if shape is not None and (p.place.kind == "country" or shape.country == p.place.country):
            return shape.centre[1], shape.centre[0]
    return p.place.lat, p.place.lon


def _marker(key: str, p: Placed, weight: int, first_seen: dt.datetime | None = None,
            last_seen: dt.datetime | None = None) -> Marker | None:
    if p.place is None:
        return None
    lat, lon = _centre(p)
    return Marker(key=key, name=clean_line(p.name, 80) or "?", kind=p.place.kind,
                  lat=lat, lon=lon, weight=weight, country=p.place.country,
                  first_seen=first_seen, last_seen=last_seen)


def story_map(entities: Sequence[Entity | tuple[str, str, int]], title: str = "") -> PlaceMap:
    """The places one story names, weighted by mentions. `entities` are the story's
    entities, or (name, kind, mentions) triples."""
    rows = [(e.name, e.kind, e.count) if isinstance(e, Entity) else e for e in entities]
    placed = geocode([(name, max(n, 1)) for name, kind, n in rows if kind == "place"])
    markers = [m for p in placed if (m := _marker(p.name, p, p.weight)) is not None]
    markers.sort(key=lambda m: -m.weight)
    return PlaceMap(tuple(markers), tuple(p for p in placed if p.place is None), title)


def day_of(value: dt.date) -> int:
    return (value - dt.date(1970, 1, 1)).days


def date_of(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def period_bounds(text: str, upper: bool) -> dt.date:
    """ "2022" / "2022-09" / "2022-09-14" as its first day, or its last when `upper`.
    Raises ValueError for anything else."""
    text = text.strip()
    parts = text.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4 or len(parts) > 3:
        raise ValueError(f"not a date: {text!r} (use 2022, 2022-09 or 2022-09-14)")
    year = int(parts[0])
    if len(parts) == 1:
        return dt.date(year, 12, 31) if upper else dt.date(year, 1, 1)
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, last if upper else 1)
    return dt.date(year, month, int(parts[2]))


@dataclass
class Developing:
    """The places of the developing story within the filters: totals over the whole period,
    read once, and any shorter window read on demand (an indexed range query, about a
    millisecond for a week of 10,000 stories)."""

    store: Store | None
    where: PlaceFilter
    names: dict[str, str]  # key -> display name
    totals: dict[str, tuple[int, int, int]]  # key -> (stories, first day, last day)
    placed: dict[str, Placed]
    first_day: int | None
    last_day: int | None
    title: str = ""
    _cache: dict[tuple[int, int], PlaceMap] = field(default_factory=dict)

    def first_seen(self, key: str) -> int | None:
        total = self.totals.get(key)
        return total[1] if total else None

    def window(self, first_day: int | None = None, last_day: int | None = None) -> PlaceMap:
        """The places reported between two days (inclusive), weighted by stories."""
        lo = self.first_day if first_day is None else first_day
        hi = self.last_day if last_day is None else last_day
        if lo is None or hi is None:
            return PlaceMap((), tuple(p for p in self.placed.values() if p.place is None),
                            self.title)
        if (lo, hi) in self._cache:
            return self._cache[(lo, hi)]
        if self.first_day is not None and self.last_day is not None and \
                lo <= self.first_day and hi >= self.last_day:
            counts = self.totals
        else:
            counts = self._counts(lo, hi)
        markers = []
        unplaced = []
        for key, (n, first, last) in counts.items():
            p = self.placed.get(key)
            if p is None:
                continue
            if p.place is None:
                unplaced.append(p)
                continue
            m = _marker(key, p, n, dt.datetime.fromtimestamp(first * DAY, dt.UTC),
                        dt.datetime.fromtimestamp(last * DAY, dt.UTC))
            if m is not None:
                markers.append(m)
        markers.sort(key=lambda m: (-m.weight, m.key))
        unplaced.sort(key=lambda p: p.name)
        out = PlaceMap(tuple(markers), tuple(unplaced), self.title, date_of(lo), date_of(hi))
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[(lo, hi)] = out
        return out

    def _counts(self, lo: int, hi: int) -> dict[str, tuple[int, int, int]]:
        if self.store is None:
            return {}
        counts = self.store.places.place_counts(self.where, (lo, hi))
        return {k: v for k, v in counts.items() if k in self.placed}


def _filters(store: Store, entity: str | None, feed_id: int | None, since: str | None,
             until: str | None) -> PlaceFilter | None:
    """The map's filters for the store; None when `entity` names no indexed entity."""
    key = None
    if entity:
        from reader.index.queries import find_entity

        key = find_entity(store, entity)
        if key is None:
            return None
    return PlaceFilter(key=key, feed_id=feed_id,
                       first_day=day_of(period_bounds(since, False)) if since else None,
                       last_day=day_of(period_bounds(until, True)) if until else None)


def developing(store: Store, *, entity: str | None = None, feed_id: int | None = None,
               since: str | None = None, until: str | None = None,
               limit: int = LIMIT) -> Developing:
    """The places of every indexed story that passes the filters (`entity`: a key, name or
    alias the stories must name; `feed_id`; `since`/`until`: "2022", "2022-09",
    "2022-09-14", inclusive). At most `limit` places, the most reported."""
    where = _filters(store, entity, feed_id, since, until)
    title = "Developing story" + (f": {clean_line(entity, 60)}" if entity else "")
    if where is None:
        return Developing(None, PlaceFilter(), {}, {}, {}, None, None, title)
    totals = store.places.place_counts(where)
    keys = sorted(totals, key=lambda k: (-totals[k][0], k))[:limit]
    totals = {k: totals[k] for k in keys}
    names = store.places.entity_names(keys)
    placed_list = geocode([(names.get(k, k), totals[k][0]) for k in keys])
    placed = dict(zip(keys, placed_list, strict=True))
    first = min((t[1] for t in totals.values()), default=None)
    last = max((t[2] for t in totals.values()), default=None)
    return Developing(store, where, names, totals, placed, first, last, title)


def stories_at(store: Store, key: str, first_day: int, last_day: int, *,
               entity: str | None = None, feed_id: int | None = None,
               limit: int = 200) -> list[int]:
    """Ids of the stories naming place `key` between two days, newest first, within the
    same filters as the map."""
    where = _filters(store, entity, feed_id, None, None)
    if where is None:
        return []
    return store.places.place_stories(where, key, first_day, last_day, limit)
