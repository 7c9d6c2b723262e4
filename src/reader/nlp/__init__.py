"""Entities and timeline facts from article text: pure functions, offline, no UI imports.

    extract_entities(text) -> list[Entity]
    extract_timeline(text, published) -> list[TimelineFact]
"""

from __future__ import annotations

from reader.nlp.entities import extract_entities
from reader.nlp.timeline import extract_timeline

__all__ = ["extract_entities", "extract_timeline"]
