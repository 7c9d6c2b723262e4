"""Timeline values in words: no TimeML code ever reaches a reader."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.nlp import extract_timeline
from reader.nlp.datewords import readable


@pytest.mark.parametrize(("value", "words"), [
    ("2022-09-12", "2022-09-12"),
    ("2022-09", "September 2022"),
    ("2022", "2022"),
    ("2022-W37", "week of 12 Sep 2022"),
    ("2022-W36-WE", "weekend of 10 Sep 2022"),
    ("2022-WI", "winter 2022"),
    ("2022-SU", "summer 2022"),
    ("2023-FA", "autumn 2023"),
    ("2022-SP", "spring 2022"),
    ("2022-Q3", "3rd quarter 2022"),
    ("2022-H1", "1st half 2022"),
    ("199", "1990s"),
    ("19", "1900s"),
])
def test_calendar_values_read_as_words(value: str, words: str) -> None:
    assert readable(value) == words


@pytest.mark.parametrize("value", ["PAST_REF", "PRESENT_REF", "FUTURE_REF", "", "2022-13",
                                   "2022-02-30", "2022-W60", "XXXX-09", "2022-Q5", "soon"])
def test_vague_or_broken_values_are_left_out(value: str) -> None:
    assert readable(value) is None


_CODE = re.compile(r"\d{4}-(?:W|Q|H|SP|SU|FA|WI)|_REF")


@settings(max_examples=60, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_no_code_from_any_extracted_value(published: dt.date) -> None:
    text = ("Shelling resumed last week and in the winter. Exports fell in the third quarter "
            "and over the weekend. Officials said recently that talks will resume soon, and "
            "that the 1990s were different. Troops left on Monday, on 5 March and in May.")
    for fact in extract_timeline(text, published):
        shown = readable(fact.date)
        if shown is not None:
            assert not _CODE.search(shown), (fact.date, shown)
        else:
            assert fact.date.endswith("_REF"), fact.date
