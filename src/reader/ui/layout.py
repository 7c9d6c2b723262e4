"""Column widths of the main screen, from the terminal's width.

The story is capped at a readable measure (about 100 columns of text); the list and the
side pane share the rest, each with a minimum, so a wider terminal shows longer headlines
rather than longer lines of text.
"""

from __future__ import annotations

from typing import NamedTuple

MEASURE = 104  # the story's box: 100 columns of text, its border and padding
NARROW = 120  # below this the side pane folds away (p, e or t bring it back)
LIST_MIN, PANE_MIN, PANE_MAX = 30, 30, 44
LAYOUTS = ("columns", "list")


class Columns(NamedTuple):
    left: int  # feeds and stories
    article: int
    side: int  # entities and timeline


def columns(width: int, *, side: bool) -> Columns:
    """Widths for the list, the story and (with `side`) the pane, summing to `width`."""
    left = max(LIST_MIN, round(width * 0.36))
    pane = max(PANE_MIN, min(PANE_MAX, round(width * 0.22))) if side else 0
    article = width - left - pane
    if article > MEASURE:
        extra = article - MEASURE
        to_pane = extra // 3 if side else 0
        article, left, pane = MEASURE, left + extra - to_pane, pane + to_pane
    return Columns(left, max(0, article), pane)


def reading_columns(width: int, *, side: bool) -> Columns:
    """Widths when the story replaces a full-width list: no list, the story and the pane."""
    pane = max(PANE_MIN, min(PANE_MAX, round(width * 0.25))) if side else 0
    return Columns(0, width - pane, pane)


def feeds_width(width: int) -> int:
    """The feed list beside a full-width story list: narrower on a narrow terminal, where
    every column it gives up is a column of headline."""
    if width < 100:
        return max(20, round(width * 0.22))
    return max(24, min(36, round(width * 0.2)))


def narrow_pane_width(width: int) -> int:
    """The side pane when it takes the list's place on a narrow terminal."""
    return max(PANE_MIN, round(width * 0.4))
