"""Exporting the entity index and the merged timeline as Markdown, CSV or JSON text.

Everything exported came from the web: control characters are stripped, Markdown
punctuation is escaped so a name cannot become a link or markup, and CSV cells that a
spreadsheet would run as a formula (= + - @, tab, carriage return first) get a leading quote.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reader.nlp.datewords import readable
from reader.text import clean_line, md_literal

if TYPE_CHECKING:
    from reader.index.queries import IndexedEntity
    from reader.index.timeline import MergedFact

FORMATS = ("md", "csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str, limit: int = 2000) -> str:
    return clean_line(value, limit)


def md_escape(value: str) -> str:
    """Plain text safe inside a Markdown line: no links, emphasis, HTML or table breaks,
    and nothing at its start that would make it a heading or list."""
    return md_literal(_text(value))


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text rather than runs as a formula."""
    if not isinstance(value, str):
        return value
    value = _text(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return buf.getvalue()


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")


def _iso(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def timeline_records(items: Sequence[MergedFact]) -> list[dict[str, Any]]:
    """The merged timeline as plain dicts (the JSON export)."""
    return [{
        "date": readable(m.date) or "", "value": _text(m.date), "start": m.start.isoformat(),
        "fact": _text(m.sentence),
        "outlets": m.outlets, "entities": [_text(e) for e in m.entities],
        "sources": [{"story_id": s.story_id, "feed_id": s.feed_id,
                     "feed": _text(s.feed_title), "title": _text(s.story_title),
                     "sentence": _text(s.sentence), "span": list(s.span),
                     "published": _iso(s.published)} for s in m.sources],
    } for m in items]


def export_timeline(items: Sequence[MergedFact], fmt: str) -> str:
    """The merged timeline as "md" (a dated list), "csv" (one row per event) or "json"."""
    _check(fmt)
    if fmt == "json":
        return json.dumps(timeline_records(items), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(
            ["date", "fact", "outlets", "sources", "story_ids", "entities"],
            [[readable(m.date) or "", m.sentence, m.outlets,
              "; ".join(dict.fromkeys(_text(s.feed_title) for s in m.sources)),
              " ".join(str(s.story_id) for s in m.sources),
              "; ".join(m.entities)] for m in items])
    lines = ["# Timeline", ""]
    current = None
    for m in items:
        if m.date != current:
            shown = readable(m.date) or ""
            lines += [*([""] if current else []), f"## {md_escape(shown)}", ""]
            current = m.date
        feeds = ", ".join(dict.fromkeys(md_escape(s.feed_title) for s in m.sources))
        reach = f" ({m.outlets} outlets)" if m.outlets > 1 else ""
        lines.append(f"- {md_escape(m.sentence)} — {feeds}{reach}")
    return "\n".join(lines) + "\n"


def entity_records(items: Sequence[IndexedEntity]) -> list[dict[str, Any]]:
    """The entity index as plain dicts (the JSON export)."""
    return [{"key": e.key, "name": _text(e.name), "kind": e.kind,
             "aliases": [_text(a) for a in e.aliases], "stories": e.stories,
             "mentions": e.mentions, "first_seen": _iso(e.first_seen),
             "last_seen": _iso(e.last_seen)} for e in items]


def export_entities(items: Sequence[IndexedEntity], fmt: str) -> str:
    """The entity index as "md" (a table), "csv" or "json"."""
    _check(fmt)
    if fmt == "json":
        return json.dumps(entity_records(items), ensure_ascii=False, indent=2) + "\n"
    day = lambda d: d.date().isoformat() if d else ""  # noqa: E731
    if fmt == "csv":
        return _csv(
            ["name", "kind", "aliases", "stories", "mentions", "first_seen", "last_seen"],
            [[e.name, e.kind, "; ".join(e.aliases), e.stories, e.mentions,
              day(e.first_seen), day(e.last_seen)] for e in items])
    lines = ["# Entities", "", "| Name | Kind | Stories | Mentions | First seen | Last seen |"
             " Also written |", "|---|---|---:|---:|---|---|---|"]
    for e in items:
        lines.append(f"| {md_escape(e.name)} | {e.kind} | {e.stories} | {e.mentions} |"
                     f" {day(e.first_seen)} | {day(e.last_seen)} |"
                     f" {', '.join(md_escape(a) for a in e.aliases)} |")
    return "\n".join(lines) + "\n"
