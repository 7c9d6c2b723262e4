"""The part of the world in view, and the projection from longitude/latitude to a grid.

The projection is equirectangular about the centre of the view, with longitude scaled by the
cosine of the centre's latitude: at the scale of a front line (a few hundred kilometres) it
keeps shapes and distances true to within a few per cent, and it is one multiplication per
point. Distances are in "dots": the grid a renderer draws on, whose dots are square (a
terminal cell is about twice as tall as wide and holds 2 x 4 braille dots).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from reader.geo.model import Marker

MIN_SPAN = 0.6  # degrees of latitude: a lone town is shown with ~30 km around it
WORLD = (-170.0, -58.0, 180.0, 78.0)


@dataclass(frozen=True, slots=True)
class View:
    lon: float  # centre
    lat: float
    scale: float  # degrees of latitude per dot

    def project(self, lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
        """(x, y) in dots on a width x height dot grid; y grows downwards."""
        k = math.cos(math.radians(self.lat)) / self.scale
        return (lon - self.lon) * k + width / 2, (self.lat - lat) / self.scale + height / 2

    def unproject(self, x: float, y: float, width: int, height: int) -> tuple[float, float]:
        k = math.cos(math.radians(self.lat)) / self.scale
        return self.lon + (x - width / 2) / k, self.lat - (y - height / 2) * self.scale

    def bounds(self, width: int, height: int) -> tuple[float, float, float, float]:
        """lon min, lat min, lon max, lat max of what a width x height grid shows."""
        lon0, lat1 = self.unproject(0, 0, width, height)
        lon1, lat0 = self.unproject(width, height, width, height)
        return lon0, lat0, lon1, lat1

    def zoomed(self, factor: float) -> View:
        """factor > 1 zooms in."""
        return replace(self, scale=min(max(self.scale / factor, 1e-4), 5.0))

    def panned(self, dx: float, dy: float, width: int, height: int) -> View:
        """Moved by dx, dy fractions of the visible width and height (dy > 0 is south)."""
        lon, lat = self.unproject(width / 2 + dx * width, height / 2 + dy * height, width, height)
        return replace(self, lon=(lon + 180) % 360 - 180, lat=max(-85.0, min(85.0, lat)))


def core(markers: Iterable[Marker], share: float = 0.8) -> list[Marker]:
    """The markers where the story is: towns and regions (countries and continents stand
    at centres far from anything reported, Russia's in Siberia), nearest the weighted centre
    first until `share` of the weight is covered, then any others within a quarter more of
    that radius.
    A story about Kupiansk that mentions London once is mapped around Kupiansk."""
    towns = [m for m in markers if m.kind in ("settlement", "region", "district")]
    if len(towns) <= 2:
        return towns
    total = sum(max(m.weight, 1) for m in towns)
    lats = sorted(towns, key=lambda m: m.lat)
    lons = sorted(towns, key=lambda m: m.lon)

    def weighted_median(ordered: list[Marker], attr: str) -> float:
        acc = 0
        for m in ordered:
            acc += max(m.weight, 1)
            if acc * 2 >= total:
                return float(getattr(m, attr))
        return float(getattr(ordered[-1], attr))

    clat, clon = weighted_median(lats, "lat"), weighted_median(lons, "lon")
    cos = math.cos(math.radians(clat))

    def dist(m: Marker) -> float:
        return math.hypot(m.lat - clat, (m.lon - clon) * cos)

    ordered = sorted(towns, key=dist)
    acc, radius = 0, 0.0
    for m in ordered:
        acc += max(m.weight, 1)
        radius = dist(m)
        if acc >= share * total:
            break
    return [m for m in ordered if dist(m) <= max(1.25 * radius, MIN_SPAN)]


def fit(markers: Iterable[Marker], width: int, height: int, margin: float = 0.12,
        everything: bool = False) -> View:
    """The view that shows the core of the markers (see `core`) with a margin, or with
    `everything`, every marker. With only countries and continents, those; with nothing,
    the world."""
    markers = list(markers)
    chosen = markers if everything else core(markers)
    pts = [(m.lon, m.lat) for m in chosen]
    if not pts:
        pts = [(m.lon, m.lat) for m in markers]
    if not pts:
        lon0, lat0, lon1, lat1 = WORLD
    else:
        lon0, lat0 = min(p[0] for p in pts), min(p[1] for p in pts)
        lon1, lat1 = max(p[0] for p in pts), max(p[1] for p in pts)
    clat = max(-80.0, min(80.0, (lat0 + lat1) / 2))
    cos = math.cos(math.radians(clat))
    span_lat = max(lat1 - lat0, MIN_SPAN)
    span_lon = max((lon1 - lon0) * cos, MIN_SPAN * cos)
    usable_w = max(width * (1 - 2 * margin), 1)
    usable_h = max(height * (1 - 2 * margin), 1)
    scale = max(span_lat / usable_h, span_lon / usable_w)
    return View((lon0 + lon1) / 2, clat, scale)
