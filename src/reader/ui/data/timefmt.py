"""Short relative times for lists ("5m", "3h", "2d") and full dates for the article header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def relative(when: dt.datetime | None, now: dt.datetime) -> str:
    """How long ago `when` was ("5m", "3h", "2d"), or its date when older than a week:
    "Sep 10" this year, "Sep 10, 2022" before (a war's archive spans years: the day matters)."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return "now" if seconds > -300 else _month_day(when)
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d"
    if when.year == now.year:
        return _month_day(when)
    return f"{_month_day(when)}, {when.year}"


def _month_day(when: dt.datetime) -> str:
    return f"{when:%b} {when.day}"  # "Sep 8": no leading zero, unlike strftime's %d


def full_date(when: dt.datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%a %d %b %Y, %H:%M UTC")
