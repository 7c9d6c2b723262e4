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

from reader.corrections import apply_corrections
from reader.errors import SaveError
from reader.models import Highlight
from reader.nlp.datewords import readable
from reader.store import Store
from reader.text import clean_line, strip_controls

SCHEMA_VERSION = 1
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
    entities, renamed = apply_corrections(store.entities(story_id),
                                          store.corrections(story_id))
    timeline = []
    listed: set[tuple[str, str]] = set()
    for fact in store.timeline(story_id):
        words = readable(fact.date)
        if words is None or (fact.sentence, fact.date) in listed:
            continue  # "recently", "now": nothing a reader could place in time; or said twice
        listed.add((fact.sentence, fact.date))
        names: list[str] = []
        for name in fact.entities:
            name = renamed.get(name, name)
            if name and name not in names:
                names.append(_line(name, 200))
        timeline.append({"date": words, "value": _line(fact.date, 40),
                         "fact": _line(fact.sentence, 1000),
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
        "tags": [_line(t, 100) for t in store.tags(story_id)],
        "entities": [{"name": _line(e.name, 200), "kind": _line(e.kind, 40),
                      "aliases": [_line(a, 200) for a in e.aliases], "count": e.count,
                      "mentions": [list(m) for m in e.mentions]} for e in entities],
        "timeline": timeline,
        "notes": [{"text": _text(n.text), "quote": _text(n.quote) or None,
                   "quote_start": n.quote_start, "quote_end": n.quote_end,
                   "created": _iso(n.created), "updated": _iso(n.updated)}
                  for n in store.notes(story_id)],
        "highlights": [{"start": h.start, "end": h.end, "text": _text(h.text)}
                       for h in store.highlights(story_id)],
        "full_text": body.full_text,
        "body": _text(body.markdown),
    }


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


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
