"""A saved story as one self-contained HTML page: inline CSS, no scripts, everything escaped.

The body is rendered by markdown-it-py with raw HTML off, so markup in an article shows as
text; a Content-Security-Policy forbids scripts even if something slipped through.
"""

from __future__ import annotations

import html
import re
from typing import Any

from reader.export.record import highlight_spans, mark_highlights
from reader.models import kind_heading, kind_order

# Private-use characters stand for <mark> and </mark> while markdown-it renders the body:
# it passes them through as text, and the body has them removed first.
_OPEN, _CLOSE = "\ue000", "\ue001"

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfb; --muted: #6b6b70;
  --accent: #2f5d8a; --mark: #fff0a8; --rule: #ddd; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #17181a; --muted: #9a9aa0;
  --accent: #8ab4e0; --mark: #6b5a12; --rule: #333; } }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 18px/1.6 Charter, "Iowan Old Style", Georgia, serif; }
article { max-width: 42rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 2rem; line-height: 1.2; margin-bottom: .5rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid var(--rule); }
a { color: var(--accent); }
.meta, .tags, .timeline time, .count { color: var(--muted); font-size: .9rem; }
.tag { display: inline-block; margin-right: .5rem; }
mark { background: var(--mark); color: inherit; padding: 0 .1em; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--rule);
  color: var(--muted); }
img { max-width: 100%; height: auto; }
pre, code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; }
pre { overflow-x: auto; padding: .75rem; border: 1px solid var(--rule); }
table { border-collapse: collapse; }
td, th { border: 1px solid var(--rule); padding: .25rem .5rem; }
.note { white-space: pre-wrap; }
.timeline li { margin-bottom: .4rem; }
.map svg { max-width: 100%; height: auto; }
"""
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:;"
        " base-uri 'none'; form-action 'none'")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _href(url: str | None) -> str | None:
    """Only web links become links: no javascript:, data: or file: from a feed."""
    return url if url and re.match(r"https?://[^\s\"'<>]+\Z", url, re.I) else None


def render_body(record: dict[str, Any]) -> str:
    from markdown_it import MarkdownIt

    body = record["body"].replace(_OPEN, "").replace(_CLOSE, "")
    marked = mark_highlights(body, highlight_spans({**record, "body": body}), _OPEN, _CLOSE)
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    out = md.render(marked)
    return out.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def to_html(record: dict[str, Any]) -> str:
    """The whole page for a story record (see export_data.story_record)."""
    meta = [_e(v) for v in (record["source"], record["author"]) if v]
    if record["published"]:
        meta.append(f'<time datetime="{_e(record["published"])}">'
                    f'{_e(record["published"][:10])}</time>')
    href = _href(record["url"])
    if href:
        meta.append(f'<a href="{_e(href)}" rel="noopener noreferrer">original</a>')
    parts = [
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="generator" content="warreader">\n',
        f"<title>{_e(record['title'])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        f"<article>\n<header>\n<h1>{_e(record['title'])}</h1>\n",
        f'<p class="meta">{" · ".join(meta)}</p>\n' if meta else "",
    ]
    if record["tags"]:
        parts.append('<p class="tags">' + "".join(
            f'<span class="tag">#{_e(t)}</span>' for t in record["tags"]) + "</p>\n")
    parts.append("</header>\n<div class=\"body\">\n" + render_body(record) + "</div>\n")
    parts += _notes(record) + _entities(record) + _map(record) + _timeline(record)
    parts.append("</article>\n</body>\n</html>\n")
    return "".join(parts)


def _notes(record: dict[str, Any]) -> list[str]:
    if not record["notes"]:
        return []
    out = ['<section class="notes">\n<h2>Notes</h2>\n']
    for n in record["notes"]:
        if n["quote"]:
            out.append(f"<blockquote>{_e(n['quote'])}</blockquote>\n")
        out.append(f'<p class="note">{_e(n["text"])}</p>\n')
    out.append("</section>\n")
    return out


def _entities(record: dict[str, Any]) -> list[str]:
    if not record["entities"]:
        return []
    kinds: dict[str, list[dict[str, Any]]] = {}
    for e in record["entities"]:
        kinds.setdefault(e["kind"], []).append(e)
    order = kind_order(set(kinds))
    out = ['<section class="entities">\n<h2>Who and where</h2>\n']
    for kind in order:
        out.append(f"<h3>{_e(kind_heading(kind))}</h3>\n<ul>\n")
        for e in kinds[kind]:
            also = f" ({_e(', '.join(e['aliases']))})" if e["aliases"] else ""
            out.append(f'<li>{_e(e["name"])}{also} <span class="count">×{e["count"]}</span>'
                       "</li>\n")
        out.append("</ul>\n")
    out.append("</section>\n")
    return out


def _map(record: dict[str, Any]) -> list[str]:
    """The story's places on a map (inline SVG; every name escaped by the SVG writer), and
    the names that could not be placed."""
    places = [(e["name"], e["kind"], int(e["count"])) for e in record["entities"]
              if e["kind"] == "place"]
    if not places:
        return []
    from reader.geo.basemap import load_basemap
    from reader.geo.export import to_svg
    from reader.geo.places import story_map

    pm = story_map(places, record["title"])
    if not pm.markers:
        return []
    out = ['<section class="map">\n<h2>Where</h2>\n<figure>\n',
           to_svg(pm, load_basemap(), title=f"Places named in {record['title']}"),
           "\n</figure>\n"]
    if pm.unplaced:
        out.append('<p class="count">Not placed: '
                   + ", ".join(_e(p.name) for p in pm.unplaced) + "</p>\n")
    out.append("</section>\n")
    return out


def _timeline(record: dict[str, Any]) -> list[str]:
    if not record["timeline"]:
        return []
    out = ['<section class="timeline">\n<h2>Timeline</h2>\n<ol>\n']
    for f in record["timeline"]:
        out.append(f'<li><time>{_e(f["date"])}</time> {_e(f["fact"])}</li>\n')
    out.append("</ol>\n</section>\n")
    return out
