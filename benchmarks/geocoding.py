"""Geocoding quality: the places of ../shared/eval/warnews (gold lists) and of the sample
stories (as the entity extractor finds them), placed by reader.geo and checked against
known positions in tests/data/geo_truth.json.

    uv run python benchmarks/geocoding.py [--eval ../shared/eval]

Prints the share of settlements placed in the right country within 25 km, the places put in
a wrong country, and every settlement placed wrongly or not at all, with the reason.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from reader.content import extract_markdown
from reader.geo.evaluate import Score, load_truth, score
from reader.geo.gazetteer import load_gazetteer
from reader.geo.resolve import geocode
from reader.nlp import extract_entities

ROOT = Path(__file__).resolve().parents[1]


def gold_cases(eval_dir: Path) -> list[tuple[str, list[str]]]:
    return [(f.stem, json.loads(f.read_text("utf-8"))["entities"]["place"])
            for f in sorted((eval_dir / "warnews").glob("*.json"))]


def sample_cases() -> list[tuple[str, list[tuple[str, int]]]]:
    cases = []
    for f in sorted((ROOT / "src/reader/sample/stories/articles").glob("*.html")):
        text = extract_markdown(f.read_text("utf-8"), "http://127.0.0.1/") or ""
        places = [(e.name, e.count) for e in extract_entities(text) if e.kind == "place"]
        cases.append(("sample", places))
    return cases


def report(title: str, s: Score) -> None:
    print(f"{title}: {s.right}/{s.settlements} settlements right "
          f"({100 * s.rate:.1f}%), {len(s.wrong_country)} in a wrong country")
    for story, name, why in s.wrong:
        print(f"  wrong     {story}: {name} -> {why}")
    for story, name, why in s.wrong_country:
        print(f"  country   {story}: {name} -> {why}")
    for story, name, why in s.unplaced:
        print(f"  unplaced  {story}: {name} ({why})")
    for story, name in s.unknown:
        print(f"  no truth  {story}: {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    args = ap.parse_args()
    t = time.perf_counter()
    load_gazetteer()
    print(f"gazetteer loaded in {1000 * (time.perf_counter() - t):.0f} ms")
    places, overrides = load_truth(json.loads((ROOT / "tests/data/geo_truth.json").read_text()))
    gold = gold_cases(args.eval)
    sample = sample_cases()
    t = time.perf_counter()
    g = score(gold, places, overrides)
    report("warnews gold places", g)
    sm = score(sample, places, overrides)
    report("sample stories", sm)
    ms = 1000 * (time.perf_counter() - t) / (len(gold) + len(sample))
    both = Score(g.settlements + sm.settlements, g.right + sm.right)
    print(f"all: {both.right}/{both.settlements} settlements right ({100 * both.rate:.1f}%); "
          f"{ms:.1f} ms per story to place its names")
    # A developing story's worth of names (benchmarks/map_screens.py uses these towns): the
    # first time reads the gazetteer's blocks, the second finds them read.
    towns = list(dict.fromkeys(p.name for p in load_gazetteer().settlements("UA")))[:160]
    load_gazetteer.cache_clear()
    for label in ("first time", "again"):
        t = time.perf_counter()
        geocode(towns)
        print(f"placing the 160 largest Ukrainian towns as one story, {label}: "
              f"{1000 * (time.perf_counter() - t):.0f} ms")


if __name__ == "__main__":
    main()
