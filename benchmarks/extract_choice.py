"""Which main-content extractor should reader.content.article use? Measured, not guessed.

    uv run python benchmarks/extract_choice.py [--set tune|held|all] [--farm-pages 6]
        [--repeat 1] [--show NAME] [--detail] [--only NAME]

Pages, each with the text a reader should get:

  tests/pages/                 hand-written pages in the markup of real outlets (full gold)
  benchmarks/data/extract/     real pages gathered from other extractors' published tests
                               (SOURCES.md there): newspaper4k/ and jsonld/ with full gold,
                               snippets/ with sentences that must / must not be in the story
  feedfarm                     article pages of the loopback news site (full gold)

Pages are split by site into a tuning half and a held-out half (a stable hash of the page's
name); `--set held` reports the half that was not looked at while tuning.

Printed per candidate, for the pages with full gold:

  P / R      story precision and recall, by words: an output sentence counts as story when
             its words occur in the gold text; a gold sentence counts as found when its words
             occur in the output; averaged over pages, F1 of the averages
  leak       boilerplate phrases that reached the output (of those listed)
  fmt        links, headings, list items, quotes and emphasis that survived (of those listed)
  empty      pages where the candidate returned nothing
  ms         median milliseconds per page (after one warm-up pass)

and for the snippet pages: `with` (must-have sentences found) and `w/o` (must-not sentences
that leaked). A table per source follows.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _farm import feedfarm

PAGES = Path(__file__).resolve().parents[1] / "tests" / "pages"


DATA = Path(__file__).resolve().parent / "data" / "extract"


@dataclass
class Page:
    name: str
    html: str
    url: str
    gold: str | None  # None: only snippets are known (spec "with" / "without")
    spec: dict = field(default_factory=dict)
    source: str = "tests/pages"

    @property
    def half(self) -> str:
        """"tune" or "held": by site, stable across runs and machines."""
        return "held" if zlib.crc32(self.name.encode()) % 2 else "tune"


def _decode(raw: bytes) -> str:
    """Every candidate gets the same text: decoded by its charset, escape sequences removed
    (reader.content.article does both before any extractor sees a page)."""
    from reader.content.clean import decode_html, strip_raw_controls

    return strip_raw_controls(decode_html(raw))


def load_pages() -> list[Page]:
    pages = []
    for path in sorted(PAGES.glob("*.gold.txt")):
        name = path.name.removesuffix(".gold.txt")
        spec = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
        html = _decode((PAGES / f"{name}.html").read_bytes())
        pages.append(Page(name, html, spec["url"], path.read_text(encoding="utf-8"), spec))
    for path in sorted(DATA.glob("*/*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        spec = json.loads(path.with_name(f"{name}.json").read_text(encoding="utf-8"))
        gold_path = path.with_name(f"{name}.gold.txt")
        gold = gold_path.read_text(encoding="utf-8") if gold_path.exists() else None
        html = _decode(gzip.decompress(path.read_bytes()))
        pages.append(Page(name, html, spec["url"], gold, spec, path.parent.name))
    return pages


def farm_pages(count: int) -> list[Page]:
    """Article pages from feedfarm; their gold is the text of the story paragraphs."""
    import lxml.html

    pages = []
    with feedfarm("--feeds", "2", "--items", "3", seconds=120) as base:
        for i in range(count):
            url = f"{base}/article/{i % 2}/{i // 2}.html"
            with urllib.request.urlopen(url, timeout=10) as resp:
                html = _decode(resp.read())
            tree = lxml.html.fromstring(html)
            paras = [p.text_content() for p in tree.xpath("//article/p[not(@class)]")]
            spec = {"url": url, "boilerplate": ["Section 3", "Subscribe now", "first!",
                                                "All rights reserved", "tracking"]}
            pages.append(Page(f"farm_{i}", html, url, "\n".join(paras), spec, "feedfarm"))
    return pages


# ---- candidates -------------------------------------------------------------------------

def _markdownify(html: str) -> str:
    from markdownify import markdownify

    return markdownify(html, heading_style="ATX", bullets="-", strip=["script", "style"])


def traf_markdown(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="markdown", include_links=True,
                               include_formatting=True, include_images=True,
                               include_comments=False) or ""


def _traf_html(html: str, url: str, precision: bool = False, recall: bool = False) -> str:
    import trafilatura

    out = trafilatura.extract(html, url=url, output_format="html", include_links=True,
                              include_formatting=True, include_images=True,
                              include_comments=False, favor_precision=precision,
                              favor_recall=recall)
    return _markdownify(out) if out else ""


def traf_html(html: str, url: str) -> str:
    return _traf_html(html, url)


def traf_html_precision(html: str, url: str) -> str:
    return _traf_html(html, url, precision=True)


def traf_html_recall(html: str, url: str) -> str:
    return _traf_html(html, url, recall=True)


def readability_md(html: str, url: str) -> str:
    from readability import Document  # `uv add readability-lxml` to include it

    return _markdownify(Document(html, url=url).summary(html_partial=True))


def ours(html: str, url: str) -> str:
    from reader.content.article import extract_markdown

    return extract_markdown(html, url)


CANDIDATES: dict[str, Callable[[str, str], str]] = {
    "trafilatura markdown": traf_markdown,
    "trafilatura html+mdfy": traf_html,
    "traf precision+mdfy": traf_html_precision,
    "traf recall+mdfy": traf_html_recall,
    "readability+mdfy": readability_md,
    "reader.content.article": ours,
}

# ---- scoring ----------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_SENT = re.compile(r"(?<=[.!?…:])\s+|\n+")


def plain(md: str) -> str:
    """Markdown reduced to its words' text: link targets, images and markers removed."""
    md = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", md)
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"^\s{0,3}(?:#+|>|[-*+]|\d+\.)\s*", "", md, flags=re.M)
    return md.replace("*", "").replace("\\", "")


def words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def score(md: str, page: Page) -> dict[str, Any]:
    text = plain(md)
    out_w = words(text)
    spec = page.spec
    if page.gold is None:
        have, avoid = spec.get("with", []), spec.get("without", [])
        return {"snippet": True, "found": sum(words(w) in out_w for w in have),
                "want": len(have), "leaks": sum(words(w) in out_w for w in avoid),
                "leak_want": len(avoid), "empty": not md.strip(),
                "leaked": [w for w in avoid if words(w) in out_w],
                "missed": [w for w in have if words(w) not in out_w]}
    gold_w = words(page.gold)
    gold_sents = [s for s in _SENT.split(page.gold) if _WORD.search(s)]
    out_sents = [s for s in _SENT.split(text) if _WORD.search(s)]
    found = sum(words(s) in out_w for s in gold_sents)
    total_words = sum(len(_WORD.findall(s)) for s in out_sents)
    story_words = sum(len(_WORD.findall(s)) for s in out_sents if words(s) in gold_w)
    lowered = md.lower()
    leaks = [b for b in spec.get("boilerplate", []) if b.lower() in lowered]
    fmt_want = fmt_got = 0
    for link in spec.get("links", []):
        fmt_want += 1
        fmt_got += f"]({link}" in md
    for kind, pattern in (("headings", r"^#+ .*{}"), ("list_items", r"^\s*(?:[-*+]|\d+\.) .*{}"),
                          ("quotes", r"^> .*{}"), ("emphasis", r"[*_]{{1,2}}{}")):
        for item in spec.get(kind, []):
            fmt_want += 1
            fmt_got += bool(re.search(pattern.format(re.escape(item)), md, re.M))
    return {
        "snippet": False,
        "p": story_words / total_words if total_words else 0.0,
        "r": found / len(gold_sents) if gold_sents else 1.0,
        "leaks": len(leaks), "leak_want": len(spec.get("boilerplate", [])),
        "fmt": fmt_got, "fmt_want": fmt_want, "empty": not md.strip(),
        "leaked": leaks,
    }


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    full = [r for r in results if not r["snippet"]]
    snip = [r for r in results if r["snippet"]]
    p = statistics.mean(r["p"] for r in full) if full else 0.0
    r = statistics.mean(r["r"] for r in full) if full else 0.0
    return {
        "n": len(full), "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "leaks": sum(int(x["leaks"]) for x in full),
        "leak_want": sum(int(x["leak_want"]) for x in full),
        "fmt": sum(int(x["fmt"]) for x in full), "fmt_want": sum(int(x["fmt_want"]) for x in full),
        "empty": sum(bool(x["empty"]) for x in results),
        "sn": len(snip), "found": sum(x["found"] for x in snip),
        "want": sum(x["want"] for x in snip), "sleaks": sum(x["leaks"] for x in snip),
        "sleak_want": sum(x["leak_want"] for x in snip),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--farm-pages", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--set", choices=("tune", "held", "all"), default="all")
    ap.add_argument("--show", help="print each candidate's output for this page")
    ap.add_argument("--detail", action="store_true", help="per-page figures")
    ap.add_argument("--only", help="run only the candidates whose name contains this")
    args = ap.parse_args()

    pages = load_pages() + (farm_pages(args.farm_pages) if args.farm_pages else [])
    if args.set != "all":
        pages = [p for p in pages if p.half == args.set]
    sources = sorted({p.source for p in pages})
    full = sum(p.gold is not None for p in pages)
    print(f"{len(pages)} pages ({args.set}): {full} with full gold, {len(pages) - full} with "
          f"snippets; sources: " + ", ".join(
              f"{s} {sum(p.source == s for p in pages)}" for s in sources) + "\n")
    print(f"{'candidate':24} {'P':>6} {'R':>6} {'F1':>6} {'leak':>7} {'fmt':>7} {'empty':>5} "
          f"{'with':>9} {'w/o':>7} {'ms':>6}")
    by_source: dict[str, dict[str, dict[str, Any]]] = {}
    for name, fn in CANDIDATES.items():
        if args.only and args.only not in name:
            continue
        try:
            fn("<html><body><p>warm up</p></body></html>", "http://127.0.0.1/")
        except ImportError as err:
            print(f"{name:24} skipped: {err.name} is not installed")
            continue
        results, times = [], []
        for page in pages:
            fn(page.html, page.url)  # warm-up: first calls pay for imports and caches
            runs = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                md = fn(page.html, page.url)
                runs.append((time.perf_counter() - t0) * 1000)
            times.append(min(runs))
            s = score(md, page)
            s["source"] = page.source
            results.append(s)
            if args.show == page.name:
                print(f"--- {name} on {page.name} ---\n{md}\n")
            if args.detail and s["snippet"]:
                print(f"    {page.source:12} {page.name:34} with={s['found']}/{s['want']} "
                      f"missed={s['missed']} leaked={s['leaked']}")
            elif args.detail:
                print(f"    {page.source:12} {page.name:34} P={s['p']:.2f} R={s['r']:.2f} "
                      f"leaked={s['leaked']}")
        t = summary(results)
        by_source[name] = {src: summary([r for r in results if r["source"] == src])
                           for src in sources}
        by_source[name]["real pages"] = summary(
            [r for r in results if r["source"] not in ("tests/pages", "feedfarm")])
        print(f"{name:24} {t['p']:6.3f} {t['r']:6.3f} {t['f1']:6.3f} "
              f"{t['leaks']:3}/{t['leak_want']:<3} {t['fmt']:3}/{t['fmt_want']:<3} "
              f"{t['empty']:5} {t['found']:4}/{t['want']:<4} {t['sleaks']:3}/{t['sleak_want']:<3}"
              f" {statistics.median(times):6.1f}")
    print("\nper source: F1 (P/R) for full gold, with-found and w/o-leaked for snippets; "
          "real pages: all but the hand-written ones and feedfarm's")
    real = [p for p in pages if p.source not in ("tests/pages", "feedfarm")]
    for src in [*sources, "real pages"]:
        count = len(real) if src == "real pages" else sum(p.source == src for p in pages)
        print(f"  {src} ({count} pages)")
        for name, table in by_source.items():
            t = table[src]
            if t["n"]:
                print(f"    {name:24} F1 {t['f1']:.3f} ({t['p']:.3f}/{t['r']:.3f})")
            if t["sn"]:
                print(f"    {name:24} with {t['found']}/{t['want']}, "
                      f"w/o leaked {t['sleaks']}/{t['sleak_want']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
