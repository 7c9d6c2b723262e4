"""Scoring the geocoder against known positions (tests/data/geo_truth.json): used by
benchmarks/geocoding.py and the tests, so the figure and the check are one computation.

A settlement counts as right when it is placed in the right country within `tolerance_km`
of its known position (villages whose position is known only roughly get `approx_km`).
Regions, countries and features are checked for country only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reader.geo.gazetteer import km
from reader.geo.resolve import Placed, geocode


@dataclass(frozen=True)
class Truth:
    kind: str
    country: str
    lat: float | None = None
    lon: float | None = None
    approx: bool = False


@dataclass
class Score:
    settlements: int = 0
    right: int = 0
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)  # story, name, note
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # story, name, why
    wrong_country: list[tuple[str, str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # names with no truth

    @property
    def rate(self) -> float:
        return self.right / self.settlements if self.settlements else 0.0


def load_truth(data: Mapping) -> tuple[dict[str, Truth], dict[str, dict[str, str]]]:
    places = {}
    for name, row in data["places"].items():
        kind, cc, *pos = row
        approx = "approx" in pos
        coords = [p for p in pos if isinstance(p, float | int)]
        lat, lon = (float(coords[0]), float(coords[1])) if len(coords) >= 2 else (None, None)
        places[name] = Truth(kind, cc, lat, lon, approx)
    return places, dict(data.get("stories", {}))


def score(cases: Iterable[tuple[str, Sequence[str | tuple[str, int]]]],
          places: Mapping[str, Truth], overrides: Mapping[str, Mapping[str, str]], *,
          tolerance_km: float = 25.0, approx_km: float = 40.0) -> Score:
    """`cases` are (story id, the place names it gives)."""
    s = Score()
    for story, names in cases:
        placed: list[Placed] = geocode(names)
        for p in placed:
            truth = places.get(p.name)
            if truth is None:
                s.unknown.append((story, p.name))
                continue
            kind = overrides.get(story, {}).get(p.name, truth.kind)
            got = p.place
            if got is not None and truth.country and got.country and got.country != truth.country:
                s.wrong_country.append((story, p.name, f"{got.name}, {got.country}"))
            if kind != "settlement":
                continue
            s.settlements += 1
            if got is None:
                s.unplaced.append((story, p.name, p.note))
                continue
            assert truth.lat is not None and truth.lon is not None
            d = km(truth.lat, truth.lon, got.lat, got.lon)
            limit = approx_km if truth.approx else tolerance_km
            if d <= limit and got.country == truth.country:
                s.right += 1
            else:
                s.wrong.append((story, p.name, f"{got.name}, {got.country}, {d:.0f} km off"))
    return s
