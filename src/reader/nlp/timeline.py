"""Dated facts from article text: every date expression, resolved against the publication date.

    extract_timeline(text, published) -> list[TimelineFact]

Values follow TimeML (the TimeBank conventions): "2022-09-10", "2022-09", "2022", "2022-Q3",
"2022-W36", "2022-W36-WE" (a weekend), "2022-SU" ("this summer"; a season named with its
year, "the summer of 2022", is filed under "2022"), "199" (the 1990s), and PRESENT_REF,
PAST_REF, FUTURE_REF for "now", "recently", "soon". Durations ("for three weeks"), times
("3 p.m."), counts ("2,000 troops") and numbers in links are not dates and are not returned.

Relative expressions count from `published` ("yesterday", "last week", "on Monday") or from
the last date named before them ("the next day", "two days later", "a year earlier"). When the
year or the direction is left open, the nearest tense cue decides ("will meet on Friday" is
ahead, "met on Friday" behind): a month alone ("in December") is the latest one on or before
publication unless the clause speaks of the future; a day and month ("Oct. 20") is the
nearest such date, allowing up to 60 days against the tense, as news style gives the year of
any other. `relative` is True for expressions counted from publication or from another date
("yesterday", "last week", "on Monday", "two days later"); a named day or month ("Sept. 21",
"in February") is not relative even when the story leaves its year to the reader.
Habitual statements ("usually begins in October") and spans of time ("for much of the past
year", "in the last month") name no date and are not returned. Every expression is a fact
(two in one sentence may share a value); views list a sentence once per date.

The rules were developed while looking at TimeBank 1.2 (there is no separate development
split); benchmarks/timex_quality.py reports the figures.

Order: facts with a calendar value come first, oldest first (by the start of the period they
name, then by position in the text); the vague PRESENT_REF/PAST_REF/FUTURE_REF facts follow,
in text order, so a timeline view can show or drop them as a block.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Sequence

from reader.models import Entity, TimelineFact
from reader.nlp.timex_patterns import URL_RE, timex_re
from reader.nlp.timex_resolve import Resolver
from reader.text import clean_line

SENTENCE_LIMIT = 200
_REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")

_BOUNDARY = re.compile(
    r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9])"
    r"|\n[ \t]*\n\s*"
    r"|\n(?=[ \t]*(?:[-*+>#|]|\d+[.)])\s)"
)
# Words whose full stop does not end a sentence ("Mr. Smith", "Sept. 10", "U.S. forces").
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "cmdr",
    "sen", "rep", "gov", "pres", "st", "jr", "sr", "no", "vs", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u",
    "approx", "dept", "mt", "ft",
})
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"'”’)\]]*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"^\s*#+\s*|^\s*>\s*|^\s*[-*+]\s+|\*+|__|`", re.M)


def _sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the sentences (or list items, headings) of text."""
    starts, ends = [0], []
    for m in _BOUNDARY.finditer(text):
        if m.group()[0] == ".":
            word = _LAST_WORD.search(text, max(0, m.start() - 12), m.end())
            if word and (word.group(1).lower() in _ABBREVIATIONS
                         or (len(word.group(1)) == 1 and word.group(1).isalpha())):
                continue
        ends.append(m.start() + (1 if m.group()[0] in ".!?" else 0))
        starts.append(m.end())
    ends.append(len(text))
    return starts, ends


def _display(text: str, lo: int, hi: int, start: int, end: int) -> str:
    """The sentence text[lo:hi] for display: Markdown dropped, at most ~200 characters
    around the expression text[start:end]."""
    if hi - lo > SENTENCE_LIMIT + 40:
        room = SENTENCE_LIMIT - (end - start)
        new_lo = max(lo, start - room // 3)
        new_hi = min(hi, new_lo + SENTENCE_LIMIT)
        new_lo = max(lo, min(new_lo, new_hi - SENTENCE_LIMIT))
        if new_lo > lo:
            space = text.find(" ", new_lo, start)
            new_lo = space + 1 if space >= 0 else new_lo
        if new_hi < hi:
            space = text.rfind(" ", end, new_hi)
            new_hi = space if space >= 0 else new_hi
        body = text[new_lo:new_hi]
        body = ("… " if new_lo > lo else "") + body + (" …" if new_hi < hi else "")
    else:
        body = text[lo:hi]
    if "](" in body:
        body = _MD_LINK.sub(r"\1", body)
    if "*" in body or "_" in body or "`" in body or "\n" in body or body[:1] in "#>-+":
        body = _MD_MARKS.sub("", body)
    return clean_line(body, SENTENCE_LIMIT + 20)


def _sort_start(value: str) -> dt.date:
    """The first day of the period a calendar value names, for ordering."""
    year = int(value[:4]) if value[:4].isdigit() else int(value.ljust(4, "0"))
    rest = value[4:]
    try:
        if len(rest) == 6 and rest[3] == "-":
            return dt.date(year, int(rest[1:3]), int(rest[4:6]))
        if len(rest) == 3 and rest[1:].isdigit():
            return dt.date(year, int(rest[1:]), 1)
        if rest[1:2] == "Q":
            return dt.date(year, 3 * int(rest[2]) - 2, 1)
        if rest[1:2] == "H":
            return dt.date(year, 6 * int(rest[2]) - 5, 1)
        if rest[1:2] == "W":
            return dt.date.fromisocalendar(year, int(rest[2:4]), 6 if rest.endswith("WE") else 1)
        season = {"-SP": 3, "-SU": 6, "-FA": 9, "-WI": 12}.get(rest)
        if season:
            return dt.date(year, season, 1)
    except ValueError:
        pass
    return dt.date(year, 1, 1)


def _entity_index(text: str, entities: Sequence[Entity] | None) -> list[tuple[int, str]]:
    """(mention start, name) for every mention, sorted; computes entities when not given."""
    if entities is None:
        try:
            from reader.nlp.entities import extract_entities
        except ImportError:  # built in parallel; the timeline works without it
            return []
        entities = extract_entities(text)
    return sorted((start, e.name) for e in entities for start, _ in e.mentions)


def extract_timeline(
    text: str,
    published: dt.date | dt.datetime,
    entities: Sequence[Entity] | None = None,
) -> list[TimelineFact]:
    """Every date expression in text as a TimelineFact, relative ones resolved against
    `published`; calendar facts oldest first, then the vague *_REF facts in text order.

    Pass `entities` (from extract_entities on the same text) to avoid computing them again;
    each fact lists the entities named in its sentence.
    """
    pub = published.date() if isinstance(published, dt.datetime) else published
    urls = [m.span() for m in URL_RE.finditer(text)] if ("](" in text or "http" in text
                                                         or "www." in text) else []
    found: list[tuple[int, int, str, bool, int]] = []
    starts: list[int] = []
    ends: list[int] = []
    resolver = Resolver(text, pub)
    for m in timex_re().finditer(text):
        start, end = m.span()
        if urls and any(a <= start < b for a, b in urls):
            continue
        if not starts:
            starts, ends = _sentence_bounds(text)
        index = bisect_right(starts, start) - 1
        kind = m.lastgroup or ""
        resolved = resolver.resolve(kind, start, end, starts[index], ends[index])
        if resolved is not None:
            found.append((start, end, resolved[0], resolved[1], index))
    if not found:
        return []
    mentions = _entity_index(text, entities)
    mention_starts = [s for s, _ in mentions]
    facts: list[tuple[tuple[int, dt.date, int], TimelineFact]] = []
    for start, end, value, relative, index in found:
        lo, hi = starts[index], ends[index]
        names: list[str] = []
        for i in range(bisect_right(mention_starts, lo - 1), bisect_right(mention_starts, hi)):
            if mentions[i][1] not in names:
                names.append(mentions[i][1])
        fact = TimelineFact(value, (start, end), _display(text, lo, hi, start, end),
                            tuple(names), relative)
        key = (1, dt.date.min, start) if value in _REFS else (0, _sort_start(value), start)
        facts.append((key, fact))
    facts.sort(key=lambda item: item[0])
    return [fact for _, fact in facts]
