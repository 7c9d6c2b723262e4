"""Spelling keys for place names.

A name is first folded the way the entity index folds names (case, accents, apostrophes,
hyphens: reader.index.names.fold), so a place matches the entity it came from. The
looser `skeleton` then merges the romanisations of one Ukrainian or Russian name that differ
only in y/i/j, w/v, or doubled letters (Kupyansk, Kupiansk, Kupjansk; Slovyansk, Sloviansk;
Pokrowsk): it is used only when no exactly folded name matches.
"""

from __future__ import annotations

import re

from reader.index.names import fold, normalise, strip_possessive

__all__ = ["fold", "normalise", "region_base", "skeleton", "strip_possessive"]

_SKELETON = str.maketrans({"y": "i", "j": "i", "w": "v"})
_DOUBLE = re.compile(r"(.)\1+")
_REGION = re.compile(
    r"^(?P<base>.+?)(?:\s+|-)(?:oblast|region|province|krai|kray|governorate)$", re.IGNORECASE
)


def skeleton(name: str) -> str:
    """A loose key: folded, y/j as i, w as v, repeated letters once."""
    return _DOUBLE.sub(r"\1", fold(name).translate(_SKELETON))


def region_base(name: str) -> str | None:
    """ "Kharkiv Oblast" → "Kharkiv"; None when the name does not say it is a region."""
    m = _REGION.match(name.strip())
    return m.group("base") if m else None
