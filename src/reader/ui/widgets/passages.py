"""Where a character range of a story's Markdown lands in its rendered text.

Textual renders each Markdown block (a paragraph, a heading, a list item's paragraph) as one
Content with the syntax gone: `[United Nations](https://…)` shows as "United Nations",
emphasis markers vanish, line breaks become spaces. The store keeps offsets into the
Markdown source (entity mentions, timeline facts, highlights, quoted notes), so to mark words
inside a block we align the rendered text with the block's source: every rendered character
is found, in order, in the source. Pure functions over strings; no Textual here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Link targets and titles, `](https://… "title")`: their characters never show, so they must
# never be matched (a URL can hold the very word that follows the link).
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
WINDOW = 400  # how far ahead a rendered character is looked for in the source
_SENTENCE = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")


def line_starts(text: str) -> list[int]:
    """Offset of the start of each line of `text`, then len(text): line n spans
    [starts[n], starts[n + 1])."""
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    starts.append(len(text))
    return starts


def line_range(starts: list[int], first: int, last: int) -> tuple[int, int]:
    """Character offsets of lines [first, last) given `line_starts`; clamped to the text."""
    top = len(starts) - 1
    return starts[min(max(first, 0), top)], starts[min(max(last, first + 1, 0), top)]


def align(rendered: str, source: str, window: int = WINDOW) -> list[int] | None:
    """For each character of `rendered`, its offset in `source` (non-decreasing), or None
    when the two do not line up well enough to trust.

    Whitespace matches any whitespace (rendering collapses runs and line breaks); a
    character not found nearby (an image glyph, a decoded entity) takes the current
    position without moving on.
    """
    masked = _LINK_TARGET.sub(lambda m: "\0" * len(m.group()), source)
    out: list[int] = []
    pos = 0
    misses = 0
    size = len(masked)
    for char in rendered:
        limit = min(size, pos + window)
        found = -1
        if char.isspace():
            for i in range(pos, limit):
                if masked[i].isspace():
                    found = i
                    break
        else:
            found = masked.find(char, pos, limit)
        if found < 0:
            misses += 1
            out.append(min(pos, max(size - 1, 0)))
            continue
        out.append(found)
        pos = found + 1
    if rendered and misses > 3 + len(rendered) // 10:
        return None
    return out


def rendered_range(offsets: list[int], start: int, end: int) -> tuple[int, int] | None:
    """The rendered characters [a, b) whose source offsets fall in [start, end) (`offsets`
    from `align`, relative to the same origin); None if none do."""
    a = bisect_left(offsets, start)
    b = bisect_left(offsets, max(end, start + 1))
    return (a, b) if a < b else None


def source_range(offsets: list[int], a: int, b: int) -> tuple[int, int]:
    """The source offsets [start, end) covered by rendered characters [a, b)."""
    return offsets[a], offsets[max(a, b - 1)] + 1


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one rendered block, surrounding spaces left out.

    Uses the analysers' splitter (it knows "Gen." and "U.S."), loaded on first use; a text
    it finds no sentence in gets a plain split after ".", "!" or "?".
    """
    from reader.nlp.textutil import split_sentences

    found = split_sentences(text)
    if found:
        return found
    out: list[tuple[int, int]] = []
    begin = 0
    for m in _SENTENCE.finditer(text):
        out.append((begin, m.end() - len(m.group()) + len(m.group().rstrip())))
        begin = m.end()
    if text[begin:].strip():
        out.append((begin, len(text.rstrip())))
    return [(a, b) for a, b in out if b > a]


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span of `spans` (sorted) holding `offset`, else None."""
    starts = [a for a, _ in spans]
    i = bisect_right(starts, offset) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return None
