"""Placing the places a story names: one gazetteer entry each, chosen by context.

A name can match many places (Pokrovsk in Donetsk Oblast and in Yakutia; dozens of
Mykolaivkas). The choice weighs, in order of strength:
- the countries and regions the same story names ("Kharkiv Oblast", "Russia"),
- the distance to the story's other, unambiguous places (a story about Kupiansk means the
  Petropavlivka beside it),
- an exact spelling of the place's own name over an old or foreign alternate (Engels was
  once called Pokrovsk), and population.
A small place whose only candidates lie far from everything else the story names is left
unplaced rather than put on the map at a namesake hundreds of kilometres away: a wrong dot is
worse than a name listed beside the map.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from reader.geo.gazetteer import Gazetteer, Hit, Place, km, load_gazetteer
from reader.geo.names import normalise, region_base, strip_possessive

# Beyond this distance from every other place the story names, a small town is taken to be a
# namesake of the one meant: front-line reports name villages around a town they also name,
# and the gazetteer lacks most villages, so a lone match far away is more often a namesake.
FAR_KM = 80.0  # for a name several places share
FAR_UNIQUE_KM = 150.0  # for a name only one place in the gazetteer has
SMALL = 15_000  # people: below this a town is not known well enough to stand on its name
ANCHOR_POP = 50_000
METROPOLIS = 1_000_000  # a city this large is known by its other names too ("New York")
VILLAGE = 500  # people: below this, population says nothing about which namesake is meant
APPROX_POP = 200  # people assumed for a village whose position is its community's
# Front-line reports name villages in clusters ("Kolomiychikha - Stelmakhivka, Ploshanka -
# Makiivka"): a namesake with several of the story's other places around it is the one meant,
# even over a city of the same name far from all of them.
NEIGHBOUR_KM = 30.0
NEIGHBOUR_POINTS = 0.8  # per other place of the story within NEIGHBOUR_KM
NEIGHBOURS_COUNTED = 4
# Rivers, seas and structures: the gazetteer holds none, and the town that shares the name
# ("Oskil river" and the village of Oskil) is not the place meant.
_FEATURE = re.compile(
    r"\b(river|sea|strait|canal|lake|reservoir|bay|gulf|islands?|dam|bridge|plant|airport|"
    r"port|station|railway|mountains?|forest|field|base)\b", re.IGNORECASE)
FEATURE_NOTE = "a river, sea or structure: the gazetteer holds towns, regions and countries"
# "Chuhuivskyi" (raion): the district named after its centre, Chuhuiv.
_DISTRICT = re.compile(r"^(?P<base>\w{3,}?)(?:skyi|skyy|skiy|sky|skij)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Placed:
    """A name as the story gives it, with its weight (mentions or stories) and the place it
    was matched to, or None and the reason it could not be placed."""

    name: str
    weight: int
    place: Place | None
    note: str = ""

    @property
    def placed(self) -> bool:
        return self.place is not None


@dataclass(slots=True)
class _Name:
    name: str
    weight: int
    hits: list[Hit]
    region_only: bool
    note: str = "not in the gazetteer"


def _same(a: Place, b: Place) -> bool:
    return a.kind == b.kind and km(a.lat, a.lon, b.lat, b.lon) < 10


def _merged(hits: list[Hit]) -> list[Hit]:
    """One hit per place: the sources repeat a town under other spellings; the entry with
    the best match and the largest population speaks for all."""
    hits = sorted(hits, key=lambda h: (not h.exact, not h.main, -h.place.population))
    out: list[Hit] = []
    for h in hits:
        for i, kept in enumerate(out):
            if _same(kept.place, h.place):
                if h.place.population > kept.place.population:
                    out[i] = Hit(replace(kept.place, population=h.place.population),
                                 kept.exact, kept.main)
                break
        else:
            out.append(h)
    return out


def _district(gaz: Gazetteer, name: str) -> list[Hit]:
    m = _DISTRICT.match(name)
    if not m:
        return []
    towns = [h for h in gaz.lookup(m.group("base")) if h.place.kind == "settlement" and h.main]
    return [Hit(replace(h.place, kind="district", name=f"{name} district", population=0),
                h.exact, True) for h in towns]


def _lookup(gaz: Gazetteer, raw: str) -> _Name:
    name = strip_possessive(raw)
    if _FEATURE.search(name):
        return _Name(raw, 0, [], False, FEATURE_NOTE)
    base = region_base(name)
    hits = gaz.lookup(name)
    if not any(h.exact for h in hits):
        # The entity index's own variant table ("Crimean Peninsula" is Crimea).
        hits = gaz.lookup(normalise(name)) or hits
    if base is not None:
        hits = [h for h in hits if h.place.kind == "region"] or [
            h for h in gaz.lookup(base) if h.place.kind == "region"
        ]
    elif not any(h.exact and h.main for h in hits):
        hits = _district(gaz, name) or hits
    return _Name(raw, 0, _merged(hits), base is not None)


def _kind_choice(n: _Name) -> list[Hit]:
    """Which kind of place a name is. A country or continent spelt exactly wins; a settlement
    of some size bearing the name wins over a region of the same name ("Donetsk" is the city,
    "Donetsk Oblast" the region); a name that only names a region is the region."""
    exact = [h for h in n.hits if h.exact] or n.hits
    for kind in ("country", "continent"):
        top = [h for h in exact if h.place.kind == kind and h.main]
        if top:
            return top
    towns = [h for h in n.hits if h.place.kind == "settlement"]
    regions = [h for h in n.hits if h.place.kind == "region"]
    if n.region_only:
        return regions
    # A town known by the name only as a former one (Dnipro was Dnipropetrovsk) gives way to
    # the region that bears the name today (Dnipropetrovsk Oblast).
    big_town = any(h.place.population >= SMALL and h.exact and h.main for h in towns)
    if regions and not big_town:
        return [h for h in regions if h.exact] or regions
    return towns or regions or [h for h in n.hits if h.place.kind != "settlement"]


def _base_score(hit: Hit, countries: set[str], region_points: list[Place]) -> float:
    p = hit.place
    # Population tells a city from a village, not one village from another: below 500
    # people (and for villages whose population the sources do not give) only the context
    # decides. A village only KATOTTG has is counted small: GeoNames lists every place over
    # 500 people.
    score = math.log10((APPROX_POP if p.approx else max(p.population, VILLAGE)) + 10)
    score += 2.0 if hit.exact and hit.main else 1.2 if hit.main else 0.8 if hit.exact else 0.0
    if p.country in countries:
        score += 0.7
    # One order of magnitude of population: the region named decides between namesakes of
    # a size, not for a village over a town ten times its size (a developing story names
    # several regions, and its places need not lie in any of them).
    if any(_in_region(p, r) for r in region_points):
        score += 1.0
    return score


def _in_region(p: Place, region: Place) -> bool:
    """Whether a town lies in a region the story names: by the region's code where both
    have one, else within 150 km of the region's centre."""
    if p.region and region.region:
        return p.region == region.region
    return region.country == p.country and km(region.lat, region.lon, p.lat, p.lon) < 150


def _planar(a: Place, b: Place) -> float:
    """Distance in km, planar (equirectangular): within 1% of the great circle at the few
    hundred kilometres that matter here, and cheap enough for hundreds of names."""
    dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, a.lat - b.lat) * 111.2


class _Grid:
    """Places of the story (index of the name that gave each, place) bucketed by position:
    the nearest to a point, or those within some distance, without looking at every one."""

    def __init__(self, places: Sequence[tuple[int, Place]], cell: float = 1.0) -> None:
        # `cell` is in degrees of latitude; cells are 1.5 times as wide in longitude, so
        # that one spans at least half `cell` * 111 km as far north as 70 N.
        self.CELL = cell
        self.CELL_KM = cell * 111.2 * 0.5
        self._cells: dict[tuple[int, int], list[tuple[int, Place]]] = {}
        for i, p in places:
            self._cells.setdefault(self._cell(p), []).append((i, p))
        self._nearest: dict[tuple[int, int], float] = {}

    def __bool__(self) -> bool:
        return bool(self._cells)

    def _cell(self, p: Place) -> tuple[int, int]:
        return math.floor(p.lat / self.CELL), math.floor(p.lon / (self.CELL * 1.5))

    def _ring(self, cy: int, cx: int, r: int) -> Iterator[tuple[int, Place]]:
        """The places in the cells `r` cells away from (cy, cx)."""
        if r == 0:
            yield from self._cells.get((cy, cx), ())
            return
        for dx in range(-r, r + 1):
            yield from self._cells.get((cy - r, cx + dx), ())
            yield from self._cells.get((cy + r, cx + dx), ())
        for dy in range(-r + 1, r):
            yield from self._cells.get((cy + dy, cx - r), ())
            yield from self._cells.get((cy + dy, cx + r), ())

    def nearest(self, p: Place, own: int, limit: float = 600.0) -> float:
        """Distance in km to the nearest place another name gave; `limit` or more when none
        is that close."""
        memo = (id(p), own)
        if memo in self._nearest:
            return self._nearest[memo]
        cy, cx = self._cell(p)
        best = math.inf
        r = 0
        while (r - 1) * self.CELL_KM <= min(best, limit):
            for i, q in self._ring(cy, cx, r):
                if i != own:
                    best = min(best, _planar(p, q))
            r += 1
        best = min(best, limit) if best < math.inf else limit
        self._nearest[memo] = best
        return best

    def around(self, p: Place, own: int, radius: float) -> int:
        """How many other names gave a place within `radius` km of `p`."""
        cy, cx = self._cell(p)
        seen: set[int] = set()
        dlat = radius / 111.2
        for r in range(int(radius / self.CELL_KM) + 2):
            for i, q in self._ring(cy, cx, r):
                if (i != own and abs(q.lat - p.lat) <= dlat and i not in seen
                        and _planar(p, q) <= radius):
                    seen.add(i)
        return len(seen)


def geocode(names: Iterable[str | tuple[str, int]], gazetteer: Gazetteer | None = None
            ) -> list[Placed]:
    """Each name placed, in the order given. `names` are place names from one story (or one
    developing story), optionally with a weight such as the mention count."""
    gaz = gazetteer or load_gazetteer()
    items: list[_Name] = []
    for entry in names:
        raw, weight = (entry, 1) if isinstance(entry, str) else entry
        found = _lookup(gaz, raw)
        found.weight = weight
        found.hits = _kind_choice(found)
        items.append(found)

    # What the story says about where it is: countries and regions it names.
    countries: set[str] = set()
    region_points: list[Place] = []
    for n in items:
        kinds = {h.place.kind for h in n.hits}
        if kinds == {"country"}:
            countries.update(h.place.country for h in n.hits)
        elif kinds == {"region"}:
            region_points.extend(h.place for h in n.hits)
    if len({r.country for r in region_points}) > 1 and countries:
        region_points = [r for r in region_points if r.country in countries] or region_points

    def ranked(own: int, n: _Name, anchors: _Grid | None,
               picks: _Grid | None = None) -> list[tuple[float, Hit]]:
        if len(n.hits) == 1:
            return [(0.0, n.hits[0])]
        out = []
        for h in n.hits:
            s = _base_score(h, countries, region_points)
            if anchors and h.place.kind == "settlement":
                # One point per 100 km from the nearest other place, up to the whole score
                # of a large town: context beats population for namesakes.
                s -= anchors.nearest(h.place, own) / 100.0
            if picks is not None and h.place.kind == "settlement":
                s += NEIGHBOUR_POINTS * min(picks.around(h.place, own, NEIGHBOUR_KM),
                                            NEIGHBOURS_COUNTED)
            out.append((s, h))
        out.sort(key=lambda sh: -sh[0])
        return out

    # Pass 1: the places that are sure on their own (large towns spelt as they are, towns of
    # some size with no namesake) anchor the context for the others.
    anchor_list: list[tuple[int, Place]] = [(-1, r) for r in region_points]
    for i, n in enumerate(items):
        settlements = [h for h in n.hits if h.place.kind == "settlement"]
        if not settlements:
            continue
        first = ranked(i, n, None)[0][1]
        unique = len(settlements) == 1
        pop = first.place.population
        if first.exact and (pop >= ANCHOR_POP or (unique and pop >= SMALL)):
            anchor_list.append((i, first.place))
    anchors = _Grid(anchor_list)

    # Pass 2: each name's place by size and distance to the anchors, then again (twice, so
    # that a first wrong choice does not hold the others) counting the places around each
    # candidate that the story's other names were given.
    tops: list[Hit | None] = [ranked(i, n, anchors)[0][1] if n.hits else None
                              for i, n in enumerate(items)]
    for _ in range(2):
        picks = _Grid([(i, t.place) for i, t in enumerate(tops)
                       if t is not None and t.place.kind == "settlement"], cell=0.25)
        tops = [ranked(i, n, anchors, picks)[0][1] if n.hits else None
                for i, n in enumerate(items)]

    results: list[Placed] = []
    for i, n in enumerate(items):
        top = tops[i]
        if top is None:
            results.append(Placed(n.name, n.weight, None, n.note))
            continue
        best = top.place
        far = FAR_UNIQUE_KM if sum(h.main for h in n.hits) == 1 else FAR_KM
        # A small town, or a town known by that name only as an old or foreign spelling
        # ("Hall" for Schwäbisch Hall), is trusted only near the story's other places.
        doubtful = best.population < SMALL or (not top.main and best.population < METROPOLIS)
        if (best.kind == "settlement" and doubtful and any(j != i for j, _ in anchor_list)
                and anchors.nearest(best, i) > far):
            results.append(Placed(
                n.name, n.weight, None,
                f"only namesakes far from the story's other places (nearest: {best.name}, "
                f"{best.country})"))
            continue
        results.append(Placed(n.name, n.weight, best))
    return results
