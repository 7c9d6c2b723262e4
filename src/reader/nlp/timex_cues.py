"""Small helpers for resolving date expressions: tense cues, number words, calendar arithmetic."""

from __future__ import annotations

import datetime as dt
import re

from reader.nlp.timex_patterns import NUMBERS

# Tense cues: the one nearest to a date expression says whether it is ahead or behind.
_TENSE = re.compile(
    r"\b(?P<future>will|won't|shall|'ll|is to|are to|due|plans? to|plans|planned|planning"
    r"|scheduled|set to|expects?|expected|intends?|going to|to be held|would|payable|expires?"
    r"|effective|upcoming|starting|aims? to|hopes? to|next)\b"
    r"|(?<!be )\b(?P<past>was|were|had|did|said|says|began|rose|fell|took|made|came|went|met"
    r"|saw|got|gave|held|led|left|lost|won|hit|struck|shot|told|sent|sold|bought|paid|spent"
    r"|kept|found|brought|fought|became|broke|drove|flew|grew|knew|ran|spoke|stood|wrote|ago"
    r"|since|(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bits )(?<!\btheir )(?<!\bstill )"
    r"[a-z]{3,}(?<!e)(?<!hundr)ed)\b")
# (an -ed word right after an article is an adjective, no past: "on a still unspecified
# date", "the planned talks")
# After the expression, "..., officials said" dates the report, not the event.
_REPORTING = frozenset({"said", "says", "told", "added", "announced", "reported"})
# A word right before the expression that settles it: "by May", "until March", "since May".
_LEAD_FUTURE = re.compile(r"\b(?:by|until|till|ahead of)\s+(?:early\s+|late\s+|mid-)?$")
_PERFECT = re.compile(r"\b(?:had|was|were)\b")
_LEAD_PAST = re.compile(r"\b(?:since|from|in early|in late)\s+$")


def tense(text: str, start: int, end: int, lo: int, hi: int) -> int:
    """+1 if the clause around text[start:end] speaks of the future, -1 of the past, 0 when
    no cue is found; lo and hi bound the sentence. The nearest cue wins."""
    left = max(lo, start - 80)
    lead = _LEAD_FUTURE.search(text, max(left, start - 20), start)
    if lead and not _PERFECT.search(text, left, start) and not (
            lead.group().startswith("by") and _past_done(text, left, lead.start())):
        return 1  # "by May" looks ahead, unless a deed is done by then: "taken by May"
    if _LEAD_PAST.search(text, max(left, start - 20), start):
        return -1
    best, sign = 10_000, 0
    for m in _TENSE.finditer(text, left, start):
        distance = start - m.end()
        if distance < best:
            best, sign = distance, (1 if m.lastgroup == "future" else -1)
    fronted = len(text[lo:start].split()) <= 2  # "In September, it announced plans..."
    for m in _TENSE.finditer(text, end, min(hi, end + 50)):
        if m.group() in _REPORTING and not fronted:
            continue
        if m.start() - end < best:
            best, sign = m.start() - end, (1 if m.lastgroup == "future" else -1)
        break
    return sign


def past_deed(text: str, start: int, lo: int) -> bool:
    """Whether the clause before text[start:...] tells of a deed done, so that the date is
    when it happened: "attacked the village on Oct. 3", "said on Oct. 3". Not when a
    future cue comes anywhere before it in the sentence ("said it will redeem ... on Oct.
    31"), nor when the nearest past cue is a reporting verb further off ("said it is
    calling for the redemption on Dec. 7")."""
    last = None
    for m in _TENSE.finditer(text, lo, start):
        if m.lastgroup == "future":
            return False
        last = m
    if last is None or start - last.end() > 80:
        return False
    if last.group() in _REPORTING:
        return start - last.end() <= 4
    return True


def _past_done(text: str, left: int, by: int) -> bool:
    """Whether the nearest tense cue before a "by" is past with no infinitive after it:
    "captured in full by early July", but not "supposed to conclude by May"."""
    last = None
    for m in _TENSE.finditer(text, left, by):
        last = m
    return (last is not None and last.lastgroup == "past"
            and not _INFINITIVE.search(text, last.end(), by))


_INFINITIVE = re.compile(r"\bto\s+[a-z]+")


def number(word: str) -> int | None:
    """12 from "12" or "twelve"; None for anything else."""
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def spelled_year(words: list[str]) -> int | None:
    """1996 from ["nineteen", "ninety", "six"]; 2008 from ["two", "thousand", "and", "eight"]."""
    if len(words) >= 2 and words[0] == "two" and words[1] == "thousand":
        return 2000 + sum(NUMBERS.get(w, 0) for w in words[2:])
    if len(words) >= 2 and words[0] in ("nineteen", "eighteen", "twenty"):
        century = NUMBERS[words[0]] * 100
        rest = [w for w in words[1:] if w != "oh"]
        if rest and rest[0] == "hundred":
            return century
        return century + sum(NUMBERS.get(w, 0) for w in rest)
    return None


def year_in(words: list[str]) -> int | None:
    """The year written in these lowercase words, in digits or spelled out, if any."""
    for i, w in enumerate(words):
        if len(w) == 4 and w.isdigit():
            return int(w)
        if w in ("nineteen", "eighteen", "twenty", "two") and i + 1 < len(words):
            year = spelled_year(words[i:])
            if year and year >= 1000:
                return year
    return None


def iso_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + n
    return total // 12, total % 12 + 1


def quarter_of(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1
