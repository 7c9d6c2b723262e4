"""Pieces the entity index and merged timeline screens share: a keyboard table, how a
merged fact is shown, and going back to the main screen to read a story."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable

from reader.index.build import update_index
from reader.index.timeline import MergedFact
from reader.models import EntityKind
from reader.nlp.datewords import readable
from reader.text import clean_line, counted
from reader.ui.screens.base import ReaderScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

KIND_LABELS = {k.value: k.label for k in EntityKind}


class IndexScreen(ReaderScreen[None]):
    """A screen over the cross-story index. Once its first list is shown it brings the
    index up to date (stories a refresh stored, corrections made since), then reads its
    list again if anything was indexed. Subclasses say how to `reload` and show `_status`."""

    @dataclass
    class IndexUpdated(Message):
        added: int  # stories indexed

    def __init__(self) -> None:
        super().__init__()
        self._updating = False
        self._update_started = False

    def reload(self) -> None:
        raise NotImplementedError

    def _status(self) -> None:
        raise NotImplementedError

    def _update_after_first_list(self) -> None:
        if self._updating and not self._update_started:
            # Indexing competes with the first read for the interpreter: start it after.
            self._update_started = True
            self._update()

    @work(thread=True, exclusive=True, group="index-update", exit_on_error=False,
          description="bringing the index up to date")
    def _update(self) -> None:
        self.post_message(self.IndexUpdated(update_index(self.reader_app.store)))

    @on(IndexUpdated)
    def _index_updated(self, event: IndexUpdated) -> None:
        self._updated(event.added)

    @work(thread=True, group="map-warm", exit_on_error=False)
    def _warm_map(self) -> None:
        """Read the gazetteer and the base map ahead of M: a few hundred milliseconds, once
        per session, better spent here than after the key press."""
        from reader.geo.basemap import load_basemap
        from reader.geo.gazetteer import load_gazetteer

        load_gazetteer()
        load_basemap()

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        super().worker_failed(worker, error)
        if worker.group == "index-update":
            self._updated(0)  # the list stays as read; the status stops saying "Updating"

    def _updated(self, added: int) -> None:
        self._warm_map()
        self._updating = False
        if added:
            self.reload()
        else:
            self._status()


class IndexTable(DataTable[object]):
    """A row-cursor table with vim keys. Cells are given as rich Text (see `cell`): a str
    cell would be read as markup, and entity names and titles come from the web."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "scroll_top", "First", show=False),
        Binding("G,end", "scroll_bottom", "Last", show=False),
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


def go_to_story(app: App[Any], story_id: int, offset: int | None = None) -> None:
    """Back to the main screen (leaving every screen above it) and open the story there,
    marking the sentence at character `offset` of its body when given."""
    from reader.ui.screens.main import MainScreen

    while not isinstance(app.screen, MainScreen) and len(app.screen_stack) > 1:
        app.pop_screen()
    if isinstance(app.screen, MainScreen):
        app.screen.open_story_at(story_id, offset)
