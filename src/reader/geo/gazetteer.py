"""The offline gazetteer: places with positions, looked up by any of their spellings.

Read once, on first use, from the files scripts/build_geo.py writes (see its docstring for
sources and licences). Index keys are `skeleton` keys; each hit says whether the name also
matched exactly (folded) and whether it was the place's main name or an alternate spelling.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reader.geo.blocks import BlockFile
from reader.geo.names import fold, skeleton

FILES = ("places-geonames.gaz", "places-csc.gaz")
KINDS = {"s": "settlement", "v": "settlement", "r": "region", "c": "country", "k": "continent"}
APPROX = "v"  # a village placed at its community's position (see scripts/build_geo.py)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. `kind` is settlement, region, country or continent; regions and
    countries stand at one point (a centre or capital), not an outline. `approx` is a village
    whose position is its community's (within about 20 km); `region` is the GeoNames code
    of the first-level region it is in or is ("UA.07": Kharkiv Oblast), "" when unknown."""

    name: str
    kind: str
    country: str  # ISO 3166 alpha-2, "" for continents
    population: int
    lat: float
    lon: float
    names: tuple[str, ...]
    region: str = ""
    approx: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    place: Place
    exact: bool  # the folded name matched, not only its skeleton
    main: bool  # the place's own name matched, not an alternate spelling


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in kilometres."""
    la1, lo1, la2, lo2 = map(math.radians, (a_lat, a_lon, b_lat, b_lon))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


class _Rows:
    """Rows held in memory, indexed by the keys in their last column (tests and tools)."""

    def __init__(self, rows: list[str]) -> None:
        self._rows = rows
        self._index: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            for key in row.rpartition("\t")[2].split("|"):
                self._index.setdefault(key, []).append(i)
        self.count = len(rows)

    def ids(self, key: str) -> list[int]:
        return self._index.get(key, [])

    def row(self, i: int) -> str:
        return self._rows[i]

    def rows(self) -> Iterator[str]:
        return iter(self._rows)


class Gazetteer:
    """Places indexed by the skeleton key of every spelling. Rows are parsed into `Place`s
    only when a lookup reaches them: most of the 90,000 are never asked for."""

    def __init__(self, rows: list[str] | None = None, *,
                 tables: Sequence[_Rows | BlockFile] = ()) -> None:
        self._tables: list[_Rows | BlockFile] = [*tables, *([_Rows(rows)] if rows else [])]
        self._parsed: dict[tuple[int, int], Place | None] = {}

    @classmethod
    def from_places(cls, places: list[Place]) -> Gazetteer:
        """A gazetteer of the given places (for tests and tools)."""
        return cls([row_of(p) for p in places])

    def _place(self, t: int, i: int) -> Place | None:
        if (t, i) not in self._parsed:
            self._parsed[(t, i)] = parse_row(self._tables[t].row(i))
        return self._parsed[(t, i)]

    def settlements(self, country: str) -> list[Place]:
        """Every town of one country, largest first (for tools and benchmarks)."""
        prefix = f"s\t{country}\t"
        found = [p for table in self._tables for row in table.rows()
                 if row.startswith(prefix) and (p := parse_row(row)) is not None]
        return sorted(found, key=lambda p: -p.population)

    def lookup(self, name: str) -> list[Hit]:
        """Every place one of whose spellings matches `name`, loosely or exactly."""
        folded, key = fold(name), skeleton(name)
        hits: list[Hit] = []
        for t, table in enumerate(self._tables):
            for i in table.ids(key):
                place = self._place(t, i)
                if place is None:
                    continue
                exact_main = fold(place.name) == folded
                exact = exact_main or any(fold(n) == folded for n in place.names[1:])
                hits.append(Hit(place, exact, exact_main or skeleton(place.name) == key))
        return hits


def row_of(p: Place) -> str:
    """A place as one row of the gazetteer (the inverse of parse_row)."""
    kind = APPROX if p.approx else {v: k for k, v in KINDS.items() if k != APPROX}[p.kind]
    return "\t".join((kind, p.country, p.region, str(p.population), str(p.lat), str(p.lon),
                      "|".join(p.names), "|".join(dict.fromkeys(skeleton(n) for n in p.names))))


def parse_row(line: str) -> Place | None:
    """One row as scripts/build_geo.py writes it: kind, country, region, population, lat, lon,
    names, skeleton keys. None for a malformed row."""
    parts = line.split("\t")
    if len(parts) != 8 or parts[0] not in KINDS:
        return None
    names = tuple(n for n in parts[6].split("|") if n)
    if not names:
        return None
    try:
        pop, lat, lon = int(parts[3]), float(parts[4]), float(parts[5])
    except ValueError:
        return None
    return Place(names[0], KINDS[parts[0]], parts[1], pop, lat, lon, names, parts[2],
                 parts[0] == APPROX)


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, opened on first call and kept: only the files' headers are
    read here (a few milliseconds); blocks of places are read as lookups reach them."""
    folder = resources.files("reader.geo").joinpath("data")
    return Gazetteer(tables=[BlockFile(folder.joinpath(name).read_bytes()) for name in FILES])
