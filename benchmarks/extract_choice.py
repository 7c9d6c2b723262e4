"""Which main-content extractor should reader.content.article use? Measured, not guessed.

    uv run python benchmarks/extract_choice.py [--farm-pages 6] [--repeat 3] [--show NAME]

For every page in tests/pages/ (NAME.html with NAME.gold.txt holding the story text and
NAME.json holding its URL, boilerplate phrases and the links/headings/lists/quotes that must
survive) and for article pages served by /work/shared/tools/feedfarm.py, each candidate
turns the page into Markdown. Printed per candidate:

  P / R      story precision and recall, by words: an output sentence counts as story when
             its words occur in the gold text; a gold sentence counts as found when its words
             occur in the output
  leak       boilerplate phrases that reached the output (of those listed)
  fmt        links, headings, list items, quotes and emphasis that survived (of those listed)
  empty      pages where the candidate returned nothing
  ms         median milliseconds per page (after one warm-up pass)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _farm import feedfarm

PAGES = Path(__file__).resolve().parents[1] / "tests" / "pages"


@dataclass
class Page:
    name: str
    html: str
    url: str
    gold: str
    spec: dict = field(default_factory=dict)


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
            pages.append(Page(f"farm_{i}", html, url, "\n".join(paras), spec))
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
    gold_w = words(page.gold)
    out_w = words(text)
    gold_sents = [s for s in _SENT.split(page.gold) if _WORD.search(s)]
    out_sents = [s for s in _SENT.split(text) if _WORD.search(s)]
    found = sum(words(s) in out_w for s in gold_sents)
    total_words = sum(len(_WORD.findall(s)) for s in out_sents)
    story_words = sum(len(_WORD.findall(s)) for s in out_sents if words(s) in gold_w)
    spec = page.spec
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
        "p": story_words / total_words if total_words else 0.0,
        "r": found / len(gold_sents) if gold_sents else 1.0,
        "leaks": len(leaks), "leak_want": len(spec.get("boilerplate", [])),
        "fmt": fmt_got, "fmt_want": fmt_want, "empty": not md.strip(),
        "leaked": leaks,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--farm-pages", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--show", help="print each candidate's output for this page")
    ap.add_argument("--detail", action="store_true", help="per-page figures")
    ap.add_argument("--only", help="run only the candidates whose name contains this")
    args = ap.parse_args()

    pages = load_pages() + farm_pages(args.farm_pages)
    print(f"{len(pages)} pages ({len(pages) - args.farm_pages} hand-written, "
          f"{args.farm_pages} from feedfarm)\n")
    print(f"{'candidate':24} {'P':>6} {'R':>6} {'F1':>6} {'leak':>7} {'fmt':>7} {'empty':>5} "
          f"{'ms':>6}")
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
            results.append(s)
            if args.show == page.name:
                print(f"--- {name} on {page.name} ---\n{md}\n")
            if args.detail:
                print(f"    {page.name:20} P={s['p']:.2f} R={s['r']:.2f} leaked={s['leaked']}")
        p = statistics.mean(r["p"] for r in results)
        r = statistics.mean(r["r"] for r in results)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        leaks = sum(int(r["leaks"]) for r in results)
        leak_want = sum(int(r["leak_want"]) for r in results)
        fmt = sum(int(r["fmt"]) for r in results)
        fmt_want = sum(int(r["fmt_want"]) for r in results)
        empty = sum(bool(r["empty"]) for r in results)
        print(f"{name:24} {p:6.3f} {r:6.3f} {f1:6.3f} {leaks:3}/{leak_want:<3} "
              f"{fmt:3}/{fmt_want:<3} {empty:5} {statistics.median(times):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
