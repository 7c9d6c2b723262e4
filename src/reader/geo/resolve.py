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
from collections.abc import Iterable, Sequence
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
    big_town = any(h.place.population >= 1000 and h.exact and h.main for h in towns)
    if regions and not big_town:
        return [h for h in regions if h.exact] or regions
    return towns or regions or [h for h in n.hits if h.place.kind != "settlement"]


def _base_score(hit: Hit, countries: set[str], region_points: list[Place]) -> float:
    p = hit.place
    score = math.log10(p.population + 10)
    score += 2.0 if hit.exact and hit.main else 1.2 if hit.main else 0.8 if hit.exact else 0.0
    if p.country in countries:
        score += 0.7
    if any(r.country == p.country and km(r.lat, r.lon, p.lat, p.lon) < 150 for r in region_points):
        score += 2.0
    return score


def _near(p: Place, anchors: Sequence[tuple[int, Place]], own: int) -> float:
    """Distance in km to the nearest anchor that another name of the story gave. Planar
    (equirectangular) distance: within 1% of the great circle at the few hundred kilometres
    that matter here, and cheap enough for hundreds of names times hundreds of anchors."""
    k = math.cos(math.radians(p.lat))
    best = math.inf
    for i, a in anchors:
        if i != own:
            dx = (a.lon - p.lon) * k
            dy = a.lat - p.lat
            d = dx * dx + dy * dy
            if d < best:
                best = d
    return math.sqrt(best) * 111.2 if best < math.inf else math.inf


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

    def ranked(own: int, n: _Name, anchors: Sequence[tuple[int, Place]]
               ) -> list[tuple[float, Hit]]:
        out = []
        for h in n.hits:
            s = _base_score(h, countries, region_points)
            if anchors and h.place.kind == "settlement":
                # One point per 100 km from the nearest other place, up to the whole score
                # of a large town: context beats population for namesakes.
                s -= min(_near(h.place, anchors, own), 600.0) / 100.0
            out.append((s, h))
        out.sort(key=lambda sh: -sh[0])
        return out

    # Pass 1: the places that are sure on their own (large towns spelt as they are, towns of
    # some size with no namesake) anchor the context for the others.
    anchors: list[tuple[int, Place]] = [(-1, r) for r in region_points]
    for i, n in enumerate(items):
        settlements = [h for h in n.hits if h.place.kind == "settlement"]
        if not settlements:
            continue
        first = ranked(i, n, [])[0][1]
        unique = len(settlements) == 1
        pop = first.place.population
        if first.exact and (pop >= ANCHOR_POP or (unique and pop >= SMALL)):
            anchors.append((i, first.place))

    results: list[Placed] = []
    for i, n in enumerate(items):
        if not n.hits:
            results.append(Placed(n.name, n.weight, None, n.note))
            continue
        top = ranked(i, n, anchors)[0][1]
        best = top.place
        far = FAR_UNIQUE_KM if len(n.hits) == 1 else FAR_KM
        # A small town, or a town known by that name only as an old or foreign spelling
        # ("Hall" for Schwäbisch Hall), is trusted only near the story's other places.
        doubtful = best.population < SMALL or (not top.main and best.population < METROPOLIS)
        if (best.kind == "settlement" and doubtful and any(j != i for j, _ in anchors)
                and _near(best, anchors, i) > far):
            results.append(Placed(
                n.name, n.weight, None,
                f"only namesakes far from the story's other places (nearest: {best.name}, "
                f"{best.country})"))
            continue
        results.append(Placed(n.name, n.weight, best))
    return results
