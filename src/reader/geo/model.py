"""What a map shows: markers for placed names, and the names that could not be placed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reader.geo.resolve import Placed

AREA_KINDS = frozenset({"region", "district", "country", "continent"})


@dataclass(frozen=True, slots=True)
class Marker:
    """One place on the map. `weight` is mentions (one story) or stories (several); `key`
    is the entity-index key or the name as the story gives it."""

    key: str
    name: str
    kind: str  # settlement, region, district, country, continent
    lat: float
    lon: float
    weight: int
    stories: tuple[int, ...] = ()
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    country: str = ""

    @property
    def is_area(self) -> bool:
        """Regions and countries stand at their centre, drawn unlike a town."""
        return self.kind in AREA_KINDS


@dataclass(frozen=True, slots=True)
class PlaceMap:
    """Markers (heaviest first) and the names left off the map, with the reason."""

    markers: tuple[Marker, ...]
    unplaced: tuple[Placed, ...] = ()
    title: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)
