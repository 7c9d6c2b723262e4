"""A saved story's content: one plain record, written as JSON or as Markdown with YAML front
matter. The record's fields are documented in docs/save-format.md.

Every string from the web or the reader passes through `_text`/`_line` before it is written:
no control characters, no escape sequences, no lone surrogates (which UTF-8 cannot encode).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from reader.errors import SaveError
from reader.models import Highlight
from reader.store import Store
from reader.store import annotations as ann
from reader.text import clean_line, strip_controls

SCHEMA_VERSION = 1
KIND_ORDER = ("person", "place", "organization")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _text(value: str | None) -> str:
    return _SURROGATES.sub("\ufffd", strip_controls(value or ""))


def _line(value: str | None, limit: int = 500) -> str:
    return _SURROGATES.sub("\ufffd", clean_line(value, limit))


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def story_record(store: Store, story_id: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything saved about a story: metadata, tags, corrected entities, timeline, notes,
    highlights and the Markdown body. Raises SaveError if there is no such story."""
    body = store.body(story_id)
    if body is None:
        raise SaveError(f"There is no story {story_id}; it may have been removed.")
    story = body.story
    entities, renamed = ann.apply_corrections(store.entities(story_id),
                                              ann.corrections(store, story_id))
    timeline = []
    for fact in store.timeline(story_id):
        names: list[str] = []
        for name in fact.entities:
            name = renamed.get(name, name)
            if name and name not in names:
                names.append(_line(name, 200))
        timeline.append({"date": _line(fact.date, 40), "fact": _line(fact.sentence, 1000),
                         "entities": names, "relative": fact.relative})
    return {
        "schema_version": SCHEMA_VERSION,
        "id": story.id,
        "title": _line(story.title),
        "url": _line(story.url, 4000) or None,
        "source": _line(story.feed_title),
        "author": _line(story.author) or None,
        "published": _iso(story.published),
        "fetched": _iso(story.fetched),
        "saved": _iso(now or dt.datetime.now(dt.UTC).replace(microsecond=0)),
        "starred": story.starred,
        "read": story.read,
        "tags": [_line(t, 100) for t in ann.tags(store, story_id)],
        "entities": [{"name": _line(e.name, 200), "kind": _line(e.kind, 40),
                      "aliases": [_line(a, 200) for a in e.aliases], "count": e.count,
                      "mentions": [list(m) for m in e.mentions]} for e in entities],
        "timeline": timeline,
        "notes": [{"text": _text(n.text), "quote": _text(n.quote) or None,
                   "quote_start": n.quote_start, "quote_end": n.quote_end,
                   "created": _iso(n.created), "updated": _iso(n.updated)}
                  for n in ann.notes(store, story_id)],
        "highlights": [{"start": h.start, "end": h.end, "text": _text(h.text)}
                       for h in ann.highlights(store, story_id)],
        "full_text": body.full_text,
        "body": _text(body.markdown),
    }


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


# YAML --------------------------------------------------------------------------------------
# A small emitter rather than a dependency: every string is double-quoted with escapes, so no
# title can turn into a number, a boolean, a comment, an anchor or a second document.

_YAML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*\Z")
_YAML_WORDS = frozenset(["null", "true", "false", "yes", "no", "on", "off", "y", "n"])


def _yaml_str(value: str) -> str:
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")
        elif (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)
              or code in (0xFFFE, 0xFFFF)):
            # Not printable to YAML, or a line break it would fold: always escaped.
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def yaml_scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _yaml_str(str(value))


def _yaml_key(key: str) -> str:
    plain = _PLAIN_KEY.match(key) and key not in _YAML_WORDS
    return key if plain else _yaml_str(key)


def _yaml_block(value: object, indent: int) -> list[str]:
    """Lines for a mapping or sequence value, each indented by `indent` spaces."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item and not _flat(item):
                lines.append(f"{pad}{_yaml_key(str(key))}:")
                lines += _yaml_block(item, indent + 2)
            else:
                lines.append(f"{pad}{_yaml_key(str(key))}: {_yaml_inline(item)}")
    else:
        assert isinstance(value, list)
        for item in value:
            if isinstance(item, (dict, list)) and item and not _flat(item):
                inner = _yaml_block(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(f"{pad}- {_yaml_inline(item)}")
    return lines


def _flat(value: dict[Any, Any] | list[Any]) -> bool:
    """A list of scalars, written on one line as ["a", "b"]."""
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def _yaml_inline(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}"  # only ever empty here: a non-empty mapping is written as a block
    return yaml_scalar(value)


def to_yaml(data: dict[str, Any]) -> str:
    """`data` (str keys; values str, int, bool, None, lists and dicts of them) as YAML."""
    return "\n".join(_yaml_block(data, 0)) + "\n"


# Markdown ----------------------------------------------------------------------------------

def front_matter(record: dict[str, Any]) -> dict[str, Any]:
    """The record as Obsidian-friendly properties: entities grouped by kind, no offsets."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for e in record["entities"]:
        by_kind.setdefault(e["kind"], []).append(
            {"name": e["name"], "aliases": e["aliases"], "count": e["count"]})
    kinds = [k for k in KIND_ORDER if k in by_kind] + sorted(set(by_kind) - set(KIND_ORDER))
    return {
        "title": record["title"], "url": record["url"], "source": record["source"],
        "author": record["author"], "published": record["published"],
        "fetched": record["fetched"], "saved": record["saved"], "tags": record["tags"],
        "starred": record["starred"], "warreader_id": record["id"],
        "schema_version": record["schema_version"],
        "entities": {k: by_kind[k] for k in kinds},
        "timeline": [{"date": f["date"], "fact": f["fact"]} for f in record["timeline"]],
        "notes": [{"text": n["text"], "quote": n["quote"]} for n in record["notes"]],
    }


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~=!])")


def md_inline(text: str) -> str:
    """Web text as literal Markdown: no emphasis, links, HTML or headings can come of it."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(record: dict[str, Any]) -> str:
    """YAML front matter, a title and byline, the body with ==highlights==, then the notes."""
    parts = ["---\n", to_yaml(front_matter(record)), "---\n\n",
             f"# {md_inline(record['title'])}\n\n"]
    byline = [md_inline(v) for v in (record["source"], record["author"]) if v]
    if record["published"]:
        byline.append(record["published"][:10])
    if record["url"] and not re.search(r"[\s<>]", record["url"]):
        byline.append(f"<{record['url']}>")
    if byline:
        parts.append(" · ".join(byline) + "\n\n")
    body = mark_highlights(record["body"], highlight_spans(record), "==", "==")
    parts.append(body.rstrip() + "\n")
    if record["notes"]:
        parts.append("\n## Notes\n")
        for n in record["notes"]:
            parts.append("\n")
            if n["quote"]:
                parts.append("".join(f"> {line}\n" for line in n["quote"].splitlines()))
                parts.append("\n")
            parts.append(n["text"].rstrip() + "\n")
    return "".join(parts)


# Highlights --------------------------------------------------------------------------------

# Inline tokens a marker must not split: links and images, code spans, autolinks.
_ATOMS = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)|`[^`\n]*`|<[a-z][a-z0-9+.-]*:[^>\s]*>", re.I)
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:(?:#{1,6}|>|[-*+]|\d{1,9}[.)])[ \t]+)*")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.M)


def highlight_spans(record: dict[str, Any]) -> list[tuple[int, int]]:
    hs = [Highlight(id=0, story_id=record["id"], start=h["start"], end=h["end"], text=h["text"])
          for h in record["highlights"]]
    return resolve_highlights(record["body"], hs)


def resolve_highlights(body: str, hs: Iterable[Highlight]) -> list[tuple[int, int]]:
    """Where each highlight is in `body` now: at its offsets if the text there still matches,
    else at the first place its text occurs (the body may have been re-extracted), else
    nowhere. Overlapping spans are merged."""
    spans: list[tuple[int, int]] = []
    for h in hs:
        if body[h.start:h.end] == h.text and h.end > h.start:
            spans.append((h.start, h.end))
        elif h.text.strip() and (at := body.find(h.text)) >= 0:
            spans.append((at, at + len(h.text)))
    return _merge_spans(spans)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def mark_highlights(body: str, spans: list[tuple[int, int]], open_: str, close: str) -> str:
    """`body` with each span wrapped in open_/close, line by line (a marker cannot span
    paragraphs), after any heading/quote/list prefix, around whole links and code spans, and
    never inside fenced code blocks."""
    atoms = [m.span() for m in _ATOMS.finditer(body)]
    grown = []
    for start, end in spans:
        # Clamp to the body: a span past the end (a stale highlight) must not loop forever.
        start, end = max(0, min(start, len(body))), max(0, min(end, len(body)))
        for a, b in atoms:
            if a < start < b:
                start = a
            if a < end < b:
                end = b
        grown.append((start, end))
    fenced = _fenced(body)
    pieces: list[tuple[int, int]] = []
    for start, end in _merge_spans(grown):
        pos = start
        while pos < end:
            line_start = body.rfind("\n", 0, pos) + 1
            line_end = body.find("\n", pos)
            line_end = len(body) if line_end < 0 else line_end
            prefix = _BLOCK_PREFIX.match(body, line_start)
            a = max(pos, prefix.end() if prefix else line_start)
            b = min(end, line_end)
            while a < b and body[a].isspace():
                a += 1
            while b > a and body[b - 1].isspace():
                b -= 1
            # A line of only punctuation (a rule, a table divider) would break if marked.
            if (a < b and any(c.isalnum() for c in body[a:b])
                    and not any(fa <= a < fb for fa, fb in fenced)):
                pieces.append((a, b))
            pos = line_end + 1
    out = body
    for a, b in reversed(pieces):
        out = out[:a] + open_ + out[a:b] + close + out[b:]
    return out


def _fenced(body: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in _FENCE.finditer(body)]
    return [(marks[i], marks[i + 1] if i + 1 < len(marks) else len(body))
            for i in range(0, len(marks), 2)]
