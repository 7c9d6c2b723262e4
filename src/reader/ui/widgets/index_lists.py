"""The lists of the index screens (entity index, an entity's detail, merged timeline): a
keyboard table, a list of merged facts, and how their cells and facts are shown. Everything
in them comes from the web, so cells are built as plain text, never markup."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, OptionList

from reader.index.timeline import MergedFact
from reader.models import EntityKind
from reader.nlp.datewords import readable
from reader.text import clean_line, counted
from reader.ui.keys import OPTION_LIST_BINDINGS

KIND_LABELS = {k.value: k.label for k in EntityKind}


class IndexTable(DataTable[object]):
    """A row-cursor table with vim keys. Cells are given as rich Text (see `cell`): a str
    cell would be read as markup, and entity names and titles come from the web."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="move_down"),
        Binding("k", "cursor_up", "Up", show=False, id="move_up"),
        Binding("g,home", "scroll_top", "First", show=False, id="first"),
        Binding("G,end", "scroll_bottom", "Last", show=False, id="last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False,
                         cursor_foreground_priority="renderable")


def set_columns(table: DataTable[object], columns: list[tuple[str | Text, str, int]]) -> None:
    """Clear `table` and give it these (label, key, width) columns; one width of 0 takes
    whatever the others leave, so the table fits its box without a sideways scrollbar."""
    table.clear(columns=True)
    room = table.size.width - 3  # the border and the vertical scrollbar
    room -= sum(width + 2 * table.cell_padding for _, _, width in columns)
    for label, key, width in columns:
        table.add_column(label, width=width or max(8, room - 2 * table.cell_padding), key=key)


def cell(value: str, limit: int = 200, style: str = "", right: bool = False) -> Text:
    """Untrusted text as a table cell: controls stripped, never markup."""
    return Text(clean_line(value, limit), style=style, justify="right" if right else "left",
                no_wrap=True, overflow="ellipsis", end="")


def text(value: str, limit: int = 200) -> Content:
    """Untrusted text as a cell or label: controls stripped, never markup."""
    return Content(clean_line(value, limit))


def muted(value: str) -> Content:
    return Content.styled(value, "$text-muted")


def day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def outlets_label(fact: MergedFact) -> Content:
    """"3 outlets" stands out; several stories of one outlet are counted as stories."""
    stories = len(fact.sources)
    more = f" · {counted(stories, 'story', 'stories')}" if stories > fact.outlets else ""
    if fact.outlets > 1:
        return Content.assemble(Content.styled(f"{fact.outlets} outlets", "bold $text-warning"),
                                muted(more))
    return muted(f"1 outlet{more}")


def fact_prompt(fact: MergedFact, *, width: int = 120) -> Content:
    """Two or more lines: date, outlet count and sources, then the sentence."""
    feeds = list(dict.fromkeys(clean_line(s.feed_title, 40) for s in fact.sources))
    sources = ", ".join(feeds[:4]) + (f" +{len(feeds) - 4}" if len(feeds) > 4 else "")
    return Content.assemble(
        Content.styled(clean_line(readable(fact.date) or "", 24), "bold $text-accent"), "  ",
        outlets_label(fact), "  ", muted(clean_line(sources, max(20, width - 40))), "\n",
        Content(clean_line(fact.sentence, 400)))


class FactList(OptionList):
    """Merged facts, two lines or more each; Enter posts the option's index."""

    BINDINGS: ClassVar[list[BindingType]] = OPTION_LIST_BINDINGS

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
