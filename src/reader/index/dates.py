"""Timeline values (TimeML: "2022-09-10", "2022-W37", "2022-SU", "PAST_REF") as dates and keys:
the first day of the period a value names, an index key that sorts facts by it, and the
since/until filters a reader types."""

from __future__ import annotations

import datetime as dt
import re

_SEASON = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def is_calendar(value: str) -> bool:
    """True for dated TimeML values ("2022-09-10", "2022-Q3", "199"); False for the vague
    PRESENT_REF/PAST_REF/FUTURE_REF and anything else that does not start with a year."""
    return len(value) >= 3 and value[:3].isdigit()


def period_start(value: str) -> dt.date | None:
    """The first day of the period a calendar value names, or None if it names none."""
    if not is_calendar(value):
        return None
    full = len(value) >= 4 and value[:4].isdigit()
    try:
        year = int(value[:4]) if full else int(value[:3]) * 10  # "199": the 1990s
        rest = value[4:] if full else ""
        if rest[:1] != "-" or len(rest) < 3:
            return dt.date(year, 1, 1)
        tag = rest[1:]
        if tag[:2].isdigit():
            month = int(tag[:2])
            day = int(tag[3:5]) if len(tag) >= 5 and tag[2] == "-" and tag[3:5].isdigit() else 1
            return dt.date(year, month, day)
        if tag[0] == "Q" and tag[1:2].isdigit():
            return dt.date(year, 3 * int(tag[1]) - 2, 1)
        if tag[0] == "H" and tag[1:2].isdigit():
            return dt.date(year, 6 * int(tag[1]) - 5, 1)
        if tag[0] == "W" and tag[1:3].isdigit():
            return dt.date.fromisocalendar(year, int(tag[1:3]), 6 if tag.endswith("WE") else 1)
        if tag[:2] in _SEASON:
            return dt.date(year, _SEASON[tag[:2]], 1)
        return dt.date(year, 1, 1)
    except ValueError:
        return None


def sort_key(value: str) -> str | None:
    """An index key that orders facts by the start of their period, then by the value
    itself (so "2022-09" comes before "2022-09-01", and equal values sit together)."""
    start = period_start(value)
    return None if start is None else f"{start.isoformat()} {value}"


_DATE_FILTER = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_filter(text: str) -> str:
    """A since/until filter as typed, checked: YYYY, YYYY-MM or YYYY-MM-DD naming a real
    date. Raises ValueError with a message fit for the reader otherwise."""
    text = text.strip()
    found = _DATE_FILTER.fullmatch(text)
    try:
        if found is None:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in found.groups())
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") from None
    return text


def bound(text: str, upper: bool) -> str:
    """A since/until filter as a sort_key bound: "2022-09" from the start of September, or
    through its end when `upper`."""
    text = text.strip()
    return text + "~" if upper else text
