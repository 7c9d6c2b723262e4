"""Turning one matched date expression into a TimeML value, against the publication date.

`Resolver` adds the calendar kinds (named days and months, quarters, seasons, years) to the
relative ones of `RelativeResolver`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from reader.nlp.timex_cues import past_deed, quarter_of, tense, year_in
from reader.nlp.timex_patterns import (
    COUNT_NOUN_RE,
    DECADE_WORDS,
    LABEL_BEFORE_RE,
    MONTHS,
    ORDINALS,
    SEASONS,
    WEEKDAYS,
)
from reader.nlp.timex_relative import RelativeResolver, Value

# News style gives the year of any date not in the current year, so a day and month a past
# deed points at up to two months after publication is still this year ("extended to Nov. 20"
# in a story of Nov. 2), and in the future tense up to two months before it. A day on which
# something happened ("attacked on Oct. 3") is never after publication.
GRACE_DAYS = 60
_WORD = re.compile(r"[a-z]+|\d+|'\d+")
_NAMES_AS_MONTHS = {"may", "june", "april", "august"}
_NOT_NAME_BEFORE = {
    "in", "on", "by", "since", "until", "through", "from", "before", "after", "and", "or",
    "of", "to", "during", "last", "next", "this", "early", "late", "mid", "as",
    "but", "that", "the", "between", "throughout", "within", "around", "into", "for", "about",
    "till", "til", "end", "beginning", "start", "middle", "each", "every",
}
# Habitual statements name no date: "usually begins in October", "every year in May".
_HABITUAL = re.compile(r"\b(?:usually|typically|normally|traditionally|generally|customarily"
                       r"|always|often|every year|each year|annually|as a rule)\b[^.;]*$",
                       re.IGNORECASE)
_TITLED_UNIT = re.compile(r"\b[A-Z][a-z]+ (?:Week|Month|Year|Weekend|Decade)\b")
_NAME_BEFORE = re.compile(r"[a-z,;]\s+([A-Z][a-z]+)\s+$")
_HABITUAL_KINDS = frozenset({"md", "mon", "season", "wday"})
# A date a past deed points at rather than happened on: "postponed to", "extended until".
_TARGET_BEFORE = re.compile(r"\b(?:to|until|till|through|thru|by|before|for|from|beyond|past"
                            r"|deadline of)\s+(?:early\s+|late\s+|mid-)?$",
                            re.IGNORECASE)
# A span of time before "the last month", "the past year": "in", "over", "for much of".
_SPAN_BEFORE = re.compile(r"\b(?:during|for|throughout|within|much of)\s+(?:the\s+)?$",
                          re.IGNORECASE)
_IN_BEFORE = re.compile(r"\b(?:in|over)\s+$", re.IGNORECASE)
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_SEASON_BEFORE = {"in", "during", "by", "over", "until", "since", "through", "into", "for"}


class Resolver(RelativeResolver):
    """Resolves every kind of timex_re() match in one text, in text order."""

    def resolve(self, kind: str, start: int, end: int, lo: int, hi: int) -> Value | None:
        """The value of text[start:end] matched as `kind`, or None when it is not a date.

        lo and hi bound the sentence, for tense cues.
        """
        words = _WORD.findall(self.text[start:end].lower())
        if kind in _HABITUAL_KINDS and year_in(words) is None and _HABITUAL.search(
                self.text, max(lo, start - 60), start):
            return None  # "the heating season usually begins in October": no one date
        if kind == "unit" and ({"last", "past"} & set(words)) and (
                _SPAN_BEFORE.search(self.text, max(lo, start - 20), start)
                or (words[0] == "last" and words[-1] != "decade"
                    and self.text[max(lo, start - 4):start].lower() == "the ")
                or (words[-1] != "year" and _IN_BEFORE.search(self.text, max(lo, start - 6),
                                                               start))):
            return None  # "for much of the past year", "in the last month": a duration
        if kind == "unit" and words[-1] == "century" and {"last", "past"} & set(words):
            return None  # "the past century": the last hundred years
        if kind == "unit" and _TITLED_UNIT.search(self.text, start, end):
            return None  # "This Week", "Next Year": a programme's or a book's title
        method = getattr(self, "_" + kind)
        result: Value | None = method(words, start, end, lo, hi)
        return result

    def _holiday(self, words: list[str], start: int, end: int, lo: int,
                 hi: int) -> Value | None:
        if "victory" in words:
            month, day = 5, 9
        elif "christmas" in words:
            month, day = 12, 24 if "eve" in words else 25
        else:
            month, day = (12, 31) if "eve" in words else (1, 1)
        year = year_in(words)
        if year is not None:
            return self._set_anchor(dt.date(year, month, day)), False
        pub = self.published
        candidates = [dt.date(y, month, day) for y in (pub.year - 1, pub.year, pub.year + 1)]
        direction = tense(self.text, start, end, lo, hi)
        if direction > 0:
            candidates = [d for d in candidates if d >= pub] or candidates
        elif direction < 0:
            candidates = [d for d in candidates if d <= pub] or candidates
        best = min(candidates, key=lambda d: abs((d - pub).days))
        return self._set_anchor(best), False

    def _yrange(self, words: list[str], start: int, end: int, lo: int,
                hi: int) -> Value | None:
        first, second = int(words[0]), words[1]
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if not first < last <= first + 50 or not 1600 <= first <= self.published.year + 50:
            return None
        self.anchor = dt.date(first, 1, 1)
        return str(first), False

    def _md(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        month = next(MONTHS[w] for w in words if w in MONTHS)
        day = next((int(w) for w in words if w.isdigit() and len(w) <= 2), None)
        if day is None:
            tens = 20 if "twenty" in words else 30 if "thirty" in words else 0
            day = next((tens + ORDINALS[w] for w in words if w in ORDINALS), None)
        if not day:
            return None
        year = year_in(words)
        weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
        if year is not None:
            if day > calendar.monthrange(year, month)[1]:
                return None
            return self._set_anchor(dt.date(year, month, day)), False
        pub = self.published
        candidates = []
        for y in (pub.year - 1, pub.year, pub.year + 1):
            if day <= calendar.monthrange(y, month)[1]:
                candidates.append(dt.date(y, month, day))
        if weekday is not None:
            candidates = [d for d in candidates if d.weekday() == weekday] or candidates
        if not candidates:
            return None
        direction = tense(self.text, start, end, lo, hi)
        if direction > 0:
            ahead = [d for d in candidates if d >= pub - dt.timedelta(days=GRACE_DAYS)]
            candidates = ahead or candidates
        elif direction < 0:
            # "extended to Nov. 20" may look ahead; "attacked on Oct. 3" may not
            grace = 0 if past_deed(self.text, start, lo) and not _TARGET_BEFORE.search(
                self.text, max(lo, start - 12), start) else GRACE_DAYS
            behind = [d for d in candidates if d <= pub + dt.timedelta(days=grace)]
            candidates = behind or candidates
        best = min(candidates, key=lambda d: abs((d - pub).days))
        return self._set_anchor(best), False  # a named day, its year from the story's

    def _dotted(self, words: list[str], start: int, end: int, lo: int,
                hi: int) -> Value | None:
        day, month, year = (int(w) for w in words)
        try:
            return self._set_anchor(dt.date(year, month, day)), False
        except ValueError:
            return None

    def _iso(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        try:
            d = dt.date.fromisoformat(self.text[start:end])
        except ValueError:
            return None
        return self._set_anchor(d), False

    def _month_year(self, month: int, words: list[str], start: int, end: int, lo: int,
                    hi: int) -> tuple[int, bool]:
        """The year of a month named without a year ("last May", "in December")."""
        pub = self.published
        y, pm = pub.year, pub.month
        if "last" in words and "past" not in words:
            # In March one says "last month", not "last February": that is a year back.
            return (y if month < pm - 1 else y - 1), True
        if "next" in words:
            return (y if month > pm else y + 1), True
        if "coming" in words:
            return (y if month >= pm else y + 1), True
        if "this" in words and "past" not in words:
            return y, True
        if "past" not in words and self.future(start, end, lo, hi):
            return (y if month >= pm else y + 1), True
        return (y if month <= pm else y - 1), True

    def _my(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        month = next(MONTHS[w] for w in words if w in MONTHS)
        year = year_in(words)
        if year is not None:
            self.anchor = dt.date(year, month, 1)
            return f"{year}-{month:02d}", False
        shift = -1 if "last" in words else 1 if "next" in words else 0
        return f"{self.published.year + shift}-{month:02d}", True

    def _mon(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        name = words[-1]
        if name in _NAMES_AS_MONTHS and len(words) == 1 and self._looks_like_name(start, end):
            return None
        month = MONTHS[name]
        year, rel = self._month_year(month, words, start, end, lo, hi)
        self.anchor = dt.date(year, month, 1)
        # "in February" names the month; "last February", "next May" count from publication
        return f"{year}-{month:02d}", rel and bool({"last", "next", "this", "coming"} & set(words))

    def _looks_like_name(self, start: int, end: int) -> bool:
        """ "Theresa May", "April Ryan": a capitalised word, other than a preposition or the
        like, right before or after."""
        before = re.search(r"([A-Za-z]+)\.?\s+$", self.text[max(0, start - 25):start])
        if before and before.group(1)[0].isupper() and \
                before.group(1).lower() not in _NOT_NAME_BEFORE:
            return True
        return bool(re.match(r"\s+[A-Z][a-z]", self.text[end:end + 3]))

    def _quarter(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        if re.match(r"\s+of\s+(?:the\s+(?!year)|[a-z])", self.text[end:end + 16]):
            return None  # "the last half of the '80s", "the first quarter of the game"
        if "two" in words and "quarters" in words:  # "the first two quarters of 1990"
            words = [w for w in words if w not in ("two", "quarters")] + ["half"]
        half = "half" in words or words[0] in ("h1", "h2")
        n = next((int(w[0]) if w[0].isdigit() else ORDINALS[w] for w in words
                  if w in ("first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th")),
                 None)
        if words[0] in ("q1", "q2", "q3", "q4", "h1", "h2"):
            n = int(words[0][1])
        if "final" in words or ("last" in words and "quarter" not in words[:1] and
                                words[0] == "the"):
            n = 2 if half else 4
        year = year_in(words)
        year_ago = bool({"ago", "earlier", "corresponding", "prior", "previous"} & set(words)) \
            or ("last" in words and "year" in words)
        pub = self.published
        explicit = n is not None
        if n is None:
            if half:
                return None
            if "this" in words or "current" in words:
                y, n = quarter_of(pub)
            elif "next" in words:
                y, n = quarter_of(pub + dt.timedelta(days=92))
            elif words[0] == "last" and not year_ago:
                y, n = quarter_of(pub - dt.timedelta(days=92))
            elif self.anchor_quarter is not None:
                y, n = self.anchor_quarter
            else:  # the last quarter that has ended
                y, n = quarter_of(pub - dt.timedelta(days=pub.day + 31 * ((pub.month - 1) % 3)))
            if year is not None:
                y = year
        elif year is not None:
            y = year
        else:
            y = pub.year + (1 if "next" in words else 0)
            first_month = (n - 1) * (6 if half else 3) + 1
            if first_month > pub.month and not self.future(start, end, lo, hi):
                y -= 1
        if year_ago and year is None:
            y -= 1
        if half:
            return f"{y}-H{n}", year is None
        if explicit and not year_ago:
            self.anchor_quarter = (y, n)
        return f"{y}-Q{n}", year is None

    def _season(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        name = next(w for w in words if w in SEASONS)
        code = SEASONS[name]
        year = year_in(words)
        if year is not None:
            # "the summer of 2022": filed under the year it states, as a reader's timeline
            # groups it (a winter runs into the next year, so the season would mislead)
            return str(year), False
        prefixed = {"this", "last", "next", "early", "late", "mid"} & set(words)
        if not prefixed:
            prev = re.search(r"([A-Za-z]+)\s+$", self.text[max(0, start - 15):start])
            if not prev or prev.group(1).lower() not in _SEASON_BEFORE:
                return None
        pub = self.published
        y, season_start = pub.year, _SEASON_START[code]
        current = {12: "WI", 1: "WI", 2: "WI"}.get(pub.month) or (
            "SP" if pub.month < 6 else "SU" if pub.month < 9 else "FA")
        if "last" in words or "past" in words:
            if season_start > pub.month or (code == current and "past" not in words):
                y -= 1
        elif "next" in words or "coming" in words:
            if season_start <= pub.month:
                y += 1
        elif "this" not in words and season_start > pub.month and code != current \
                and not self.future(start, end, lo, hi):
            y -= 1
        return f"{y}-{code}", True

    def _decade(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        last = words[-1]
        if last == "century":
            return str(int(words[-3]) - 1), False
        short = next((w for w in words if w.startswith("'") or w in DECADE_WORDS), None)
        if short:
            decade = DECADE_WORDS.get(short) or int(short[1])
            century = self.published.year // 100
            if century * 100 + decade * 10 > self.published.year:
                century -= 1
            return f"{century}{decade}", True
        digits = next(w for w in words if w.isdigit())
        return digits[:3], False

    def _year(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        year = year_in(words)
        if year is None:
            return None
        bare = words[0].isdigit()
        if bare or words[0] == "the":
            if not 1600 <= year <= self.published.year + 50:
                return None
            if COUNT_NOUN_RE.match(self.text, end) or LABEL_BEFORE_RE.search(
                    self.text, max(0, start - 12), start):
                return None
            name = _NAME_BEFORE.search(self.text, max(0, start - 20), start)
            before = name.group(1).lower() if name else ""
            if bare and before and before not in _NOT_NAME_BEFORE and before not in MONTHS:
                return None  # "Orion 1980", "Euro 2024": part of a name
        self.anchor = dt.date(year, 1, 1)  # "later that year" counts from here
        return str(year), False
