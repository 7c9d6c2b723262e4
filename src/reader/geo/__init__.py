"""Where stories happen: offline geocoding of the places they name, and the base map.

Pure functions and data, no UI imports. The gazetteer and outlines are built at build time by
scripts/build_geo.py from maintained data packages and shipped compressed in data/.

    geocode(names) -> list[Placed]      (reader.geo.resolve)
"""

from __future__ import annotations

from reader.geo.gazetteer import Place, load_gazetteer
from reader.geo.resolve import Placed, geocode

__all__ = ["Place", "Placed", "geocode", "load_gazetteer"]
