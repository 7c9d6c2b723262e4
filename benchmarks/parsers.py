"""Milliseconds per parse of a 50-item feed: fastfeedparser, feedparser, and reader.feeds.parse.

    uv run python benchmarks/parsers.py [--items 50] [--runs 200]

parse_feed's figure includes its own decoding and sanitising on top of the parser it chose.
"""

from __future__ import annotations

import argparse
import email.utils
import html
import statistics
import time
from collections.abc import Callable

import fastfeedparser
import feedparser

from reader.feeds.parse import parse_feed

PARAGRAPH = ("Shelling hit Kupyansk on Monday, the General Staff said in a statement. "
             "Residents said supplies from Izyum had not arrived since August. ") * 3


def rss(items: int) -> bytes:
    parts = []
    for i in range(items):
        stamp = email.utils.formatdate(1662800000 + i * 3600, usegmt=True)
        desc = html.escape(f"<p>{PARAGRAPH}</p><p><a href='https://example.org/{i}'>more</a></p>")
        parts.append(f"<item><title>Update {i}: Kharkiv &amp; Izyum</title>"
                     f"<link>https://example.org/news/{i}.html</link>"
                     f"<guid>https://example.org/news/{i}.html</guid><pubDate>{stamp}</pubDate>"
                     f"<dc:creator>Staff {i}</dc:creator><description>{desc}</description></item>")
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
            "xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>Wire</title>"
            f"<link>https://example.org/</link>{''.join(parts)}</channel></rss>").encode()


def atom(items: int) -> bytes:
    parts = []
    for i in range(items):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1662800000 + i * 3600))
        content = html.escape(f"<p>{PARAGRAPH}</p>")
        parts.append(f"<entry><title>Update {i}</title><link href='https://example.org/{i}'/>"
                     f"<id>urn:example:{i}</id><updated>{stamp}</updated>"
                     f"<author><name>Staff {i}</name></author>"
                     f"<content type='html'>{content}</content></entry>")
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Dispatch</title><id>urn:example</id>{''.join(parts)}</feed>").encode()


def per_parse_ms(parse: Callable[[bytes], object], doc: bytes, runs: int) -> float:
    parse(doc)  # warm up caches and lazy imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse(doc)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    parsers: dict[str, Callable[[bytes], object]] = {
        "fastfeedparser": fastfeedparser.parse,
        "feedparser": feedparser.parse,
        "reader.feeds.parse.parse_feed": parse_feed,
    }
    for kind, doc in (("RSS 2.0", rss(args.items)), ("Atom", atom(args.items))):
        print(f"{kind}, {args.items} items, {len(doc) / 1000:.0f} kB, median of {args.runs}:")
        for name, parse in parsers.items():
            runs = max(10, args.runs // 10) if name == "feedparser" else args.runs
            print(f"  {name:<24} {per_parse_ms(parse, doc, runs):8.2f} ms")


if __name__ == "__main__":
    main()
