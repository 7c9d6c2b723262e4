"""Relative date expressions: counted from the publication date or from the last date named.

`RelativeResolver` holds the state of one pass over a text: the last day, the last date of
any precision and the last quarter mentioned, because anaphoric expressions ("the next day",
"a year earlier", "the following month") count from them rather than from publication.
"""

from __future__ import annotations

import datetime as dt
import re

from reader.nlp.timex_cues import add_months, iso_week, number, tense
from reader.nlp.timex_patterns import WEEKDAY_NAME_AFTER_RE, WEEKDAY_NAME_BEFORE_RE, WEEKDAYS

Value = tuple[str, bool]  # (TimeML value, resolved from a relative expression)

_BACK = {"ago", "earlier", "before", "previously", "last", "past", "previous", "prior",
         "preceding"}
_ANAPHORIC = {"earlier", "later", "before", "after", "previously"}
_VAGUE = {"few", "several", "some", "many", "couple"}


class RelativeResolver:
    """Resolves the relative kinds of timex_re() match, in text order."""

    def __init__(self, text: str, published: dt.date) -> None:
        self.text = text
        self.published = published
        self.anchor = published  # the last date mentioned (a month starts on its first day)
        self.anchor_day = published  # the last day mentioned
        self.anchor_quarter: tuple[int, int] | None = None

    def future(self, start: int, end: int, lo: int, hi: int) -> bool:
        """Whether the clause around text[start:end] speaks of the future."""
        return tense(self.text, start, end, lo, hi) > 0

    def _set_anchor(self, d: dt.date) -> str:
        self.anchor = self.anchor_day = d
        return d.isoformat()

    def _base(self, unit: str) -> dt.date:
        """What an anaphoric expression in this unit counts from."""
        if unit.startswith(("day", "week", "fortnight", "morning", "afternoon", "evening",
                            "night")):
            return self.anchor_day
        return self.anchor

    def _shift(self, base: dt.date, unit: str, n: int) -> str:
        """base moved by n units, written at that unit's precision."""
        if unit.startswith("day"):
            return self._set_anchor(base + dt.timedelta(days=n))
        if unit.startswith(("week", "fortnight")):
            return iso_week(base + dt.timedelta(days=7 * n * (2 if unit[0] == "f" else 1)))
        if unit.startswith("month"):
            y, m = add_months(base.year, base.month, n)
            return f"{y}-{m:02d}"
        if unit.startswith("quarter"):
            y, m = add_months(base.year, base.month, 3 * n)
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if unit.startswith("decade"):
            return str(base.year // 10 + n)
        if unit.startswith("century"):
            return str(base.year // 100 + n)
        return str(base.year + n)

    def _yearago(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        if self.anchor_quarter is not None:
            return f"{self.anchor_quarter[0] - 1}-Q{self.anchor_quarter[1]}", True
        return str(self.published.year - 1), True

    def _ago(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        if words[-1] in ("after", "before") and re.match(r"\s*\w", self.text[end:end + 3]):
            return None  # "a day after the vote": counted from an event, not a date
        sign = -1 if words[-1] in _BACK else 1
        unit = next(w for w in words if w.startswith(
            ("day", "week", "month", "year", "decade", "quarter", "fortnight")))
        counts = [v for w in words if w not in ("a", "an") and (v := number(w)) is not None]
        if not counts and _VAGUE & set(words):  # "a few days ago", but "some 10 days ago"
            return ("PAST_REF" if sign < 0 else "FUTURE_REF"), True
        n = counts[0] if counts else 1
        anaphoric = words[-1] in _ANAPHORIC
        base = self._base(unit) if anaphoric else self.published
        if unit.startswith("year") and n == 1 and sign < 0 and self.anchor_quarter is not None:
            return self._yearago(words, start, end, lo, hi)
        return self._shift(base, unit, sign * n), True

    def _unit(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        unit = words[-1]
        anaphoric = bool({"previous", "following", "same", "that", "prior", "preceding"}
                         & set(words)) or ("the" in words and "next" in words)
        if "past" in words and "this" in words:
            n = -1 if unit in ("week", "weekend") else 0
        elif {"last", "past", "previous", "prior", "preceding"} & set(words):
            n = -1
        elif {"next", "coming", "following"} & set(words):
            n = 1
        else:
            n = 0
        base = self._base(unit) if anaphoric else self.published
        if unit in ("morning", "afternoon", "evening", "night"):
            if unit == "night" and "last" in words:
                n = -1
            elif "this" in words:
                n = 0
            return self._set_anchor(base + dt.timedelta(days=n)), True
        if unit == "weekend":
            return self._weekend(base, n, start, end, lo, hi), True
        if unit == "year" and "that" in words and not anaphoric:
            return str(self.anchor.year), True
        return self._shift(base, unit, n), True

    def _weekend(self, base: dt.date, n: int, start: int, end: int, lo: int, hi: int) -> str:
        saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7)
        if n > 0 or (n == 0 and self.future(start, end, lo, hi) and base.weekday() < 5):
            saturday += dt.timedelta(days=7)
        elif n < 0 and base.weekday() >= 5:
            saturday -= dt.timedelta(days=7)
        return iso_week(saturday) + "-WE"

    def _yearend(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        if words[-1] == "month":
            return f"{self.published.year}-{self.published.month:02d}", True
        if {"latest", "previous", "prior"} & set(words):
            return str(self.published.year - 1), True
        if "following" in words:
            return str(self.anchor.year + 1), True
        return str(self.published.year), True

    def _day(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        pub = self.published
        if "before" in words:
            n = -2
        elif "after" in words:
            n = 2
        elif "yesterday" in words or "night" in words:
            n = -1
        elif "tomorrow" in words:
            n = 1
        else:
            n = 0
        return self._set_anchor(pub + dt.timedelta(days=n)), True

    def _wday(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        if len(words) == 1 and (WEEKDAY_NAME_AFTER_RE.match(self.text, end)
                                or WEEKDAY_NAME_BEFORE_RE.search(self.text, max(0, start - 8),
                                                                 start)):
            return None
        weekday = WEEKDAYS[words[-1]]
        pub = self.published
        if "previous" in words or ("the" not in words and "last" in words):
            base = self.anchor_day if "previous" in words else pub
            back = (base.weekday() - weekday) % 7 or 7
            return self._set_anchor(base - dt.timedelta(days=back)), True
        if "following" in words or "next" in words or "coming" in words:
            base = self.anchor_day if "following" in words or "the" in words else pub
            ahead = (weekday - base.weekday()) % 7 or 7
            return self._set_anchor(base + dt.timedelta(days=ahead)), True
        if "this" in words and "past" not in words:
            return self._set_anchor(pub + dt.timedelta(days=weekday - pub.weekday())), True
        if "past" not in words and self.future(start, end, lo, hi):
            return self._set_anchor(pub + dt.timedelta(days=(weekday - pub.weekday()) % 7)), True
        return self._set_anchor(pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)), True

    def _ref(self, words: list[str], start: int, end: int, lo: int, hi: int) -> Value | None:
        if {"now", "currently", "current", "present", "presently", "these",
                "nowadays"} & set(words):
            return "PRESENT_REF", True
        if {"future", "soon", "near", "short", "foreseeable", "distant", "coming"} & set(words):
            return "FUTURE_REF", True
        return "PAST_REF", True
