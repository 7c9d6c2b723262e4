"""The base map: country outlines and Ukraine's oblasts in longitude/latitude, as built by
scripts/build_basemap.py (sources and licences in its docstring). Read once, on first use."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reader.geo.names import fold

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    country: str
    centre: tuple[float, float]  # (lon, lat) of the area centroid of the largest ring
    rings: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]  # lon min, lat min, lon max, lat max


@dataclass(frozen=True, slots=True)
class BaseMap:
    countries: tuple[Shape, ...]
    regions: tuple[Shape, ...]

    def region(self, name: str) -> Shape | None:
        """The oblast called `name` ("Kharkiv Oblast", "Kharkiv region", "Kharkivska")."""
        want = _region_key(name)
        for shape in self.regions:
            if _region_key(shape.name) == want:
                return shape
        return None

    def country(self, code: str) -> Shape | None:
        for shape in self.countries:
            if shape.country == code:
                return shape
        return None


def _region_key(name: str) -> str:
    words = [w for w in fold(name).split() if w not in {"oblast", "region", "province"}]
    key = " ".join(words)
    for old, new in (("zaporizhzhya", "zaporizhzhia"), ("odessa", "odesa"), ("kiev", "kyiv"),
                     ("khmelnytsky", "khmelnytskyi")):
        key = key.replace(old, new)
    return key


def _shape(raw: dict) -> Shape:
    rings = tuple(tuple((float(x), float(y)) for x, y in r) for r in raw["rings"])
    xs = [x for r in rings for x, _ in r] or [0.0]
    ys = [y for r in rings for _, y in r] or [0.0]
    return Shape(str(raw["name"]), str(raw.get("cc", "")),
                 (float(raw["centre"][0]), float(raw["centre"][1])), rings,
                 (min(xs), min(ys), max(xs), max(ys)))


@cache
def load_basemap() -> BaseMap:
    blob = resources.files("reader.geo").joinpath("data", "basemap.json.gz").read_bytes()
    data = json.loads(gzip.decompress(blob))
    return BaseMap(tuple(_shape(c) for c in data["countries"]),
                   tuple(_shape(r) for r in data["regions"]))
