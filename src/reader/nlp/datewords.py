"""Timeline values as a reader should see them.

    readable("2022-WI") -> "winter 2022"
    readable("2022-W37") -> "week of 12 Sep 2022"
    readable("PAST_REF") -> None

The timeline keeps TimeML values (they sort, merge across stories and compare), but a code
such as "2022-W37" or "PAST_REF" means nothing to a reader. Every place that shows a date
goes through `readable`; None means the fact names no point in time a reader could use
("recently", "now"), and the caller leaves it out.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}
_VALUE = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d\d)(?:-(?P<day>\d\d))?"
    r"|W(?P<week>\d\d)(?P<weekend>-WE)?|Q(?P<quarter>[1-4])|H(?P<half>[12])"
    r"|(?P<season>SP|SU|FA|WI)))?"
    r"|(?P<decade>\d{3})|(?P<century>\d{2})"
)


def _short(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def readable(value: str) -> str | None:
    """The words for a timeline value: an ISO date for a day, "September 2022", "2022",
    "week of 12 Sep 2022", "weekend of 17 Sep 2022", "winter 2022", "3rd quarter 2022",
    "1st half 2022", "1990s", "1900s"; None for vague references (PAST_REF and the like)
    and for anything that is not a calendar value."""
    m = _VALUE.fullmatch(value.strip())
    if m is None:
        return None
    if m["decade"]:
        return f"{m['decade']}0s"
    if m["century"]:
        return f"{m['century']}00s"
    year = int(m["year"])
    try:
        if m["day"]:
            return dt.date(year, int(m["month"]), int(m["day"])).isoformat()
        if m["month"]:
            month = int(m["month"])
            return f"{_MONTHS[month - 1]} {year}" if 1 <= month <= 12 else None
        if m["week"]:
            monday = dt.date.fromisocalendar(year, int(m["week"]), 1)
            if m["weekend"]:
                return "weekend of " + _short(monday + dt.timedelta(days=5))
            return "week of " + _short(monday)
    except ValueError:
        return None
    if m["quarter"]:
        return f"{_ORDINAL[int(m['quarter'])]} quarter {year}"
    if m["half"]:
        return f"{_ORDINAL[int(m['half'])]} half {year}"
    if m["season"]:
        return f"{_SEASONS[m['season']]} {year}"
    return str(year)
