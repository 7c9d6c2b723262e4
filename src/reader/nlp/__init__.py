"""Entities and timeline facts from article text: pure functions, offline, no UI imports.

    extract_entities(text) -> list[Entity]
    extract_timeline(text, published) -> list[TimelineFact]
    datewords.readable(value) -> str | None   (a timeline value as a reader reads it)

The two extractors are imported on first use, so that a screen or an export needing only
`reader.nlp.datewords` does not pay for the tagger's modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.nlp.entities import extract_entities
    from reader.nlp.timeline import extract_timeline

__all__ = ["extract_entities", "extract_timeline"]


def __getattr__(name: str) -> Any:
    if name == "extract_entities":
        from reader.nlp.entities import extract_entities

        return extract_entities
    if name == "extract_timeline":
        from reader.nlp.timeline import extract_timeline

        return extract_timeline
    raise AttributeError(f"module 'reader.nlp' has no attribute {name!r}")
