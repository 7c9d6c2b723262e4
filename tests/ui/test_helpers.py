"""The UI's small pure helpers: relative times, cutting by cells, grouping and ordering."""

from __future__ import annotations

import datetime as dt

from reader.models import Entity
from reader.ui.data.timefmt import relative
from reader.ui.widgets.side_pane import group_entities, sort_facts
from reader.ui.widgets.story_list import fit
from tests.ui.support import NOW, sample_facts


def test_relative_times() -> None:
    assert relative(NOW - dt.timedelta(seconds=20), NOW) == "now"
    assert relative(NOW - dt.timedelta(minutes=5), NOW) == "5m"
    assert relative(NOW - dt.timedelta(hours=3), NOW) == "3h"
    assert relative(NOW - dt.timedelta(days=2), NOW) == "2d"
    assert relative(NOW - dt.timedelta(days=20), NOW) == "Feb 18"
    assert relative(NOW - dt.timedelta(days=400), NOW) == "Feb 4, 2024"
    assert relative(None, NOW) == ""


def test_fit_cuts_by_cells() -> None:
    assert fit("hello", 10) == "hello"
    assert fit("hello world", 6) == "hello…"
    assert fit("战争新闻报道", 5) == "战争…"
    assert fit("anything", 0) == ""


def test_entities_grouped_by_kind_in_salience_order() -> None:
    ents = [Entity("B", "place"), Entity("A", "person"), Entity("C", "unit"),
            Entity("D", "person")]
    groups = group_entities(ents)
    assert [g for g, _ in groups] == ["People", "Places", "Other"]
    assert [e.name for e in groups[0][1]] == ["A", "D"]


def test_facts_oldest_first() -> None:
    assert [f.date for f in sort_facts(sample_facts())] == ["2025-03-03", "2025-03-05",
                                                             "2025-03-10"]
