"""One entity of the index: who or what it is, its trend, the stories naming it (Enter opens
one in the main screen), the entities most often in the same stories (Enter shows that one),
and its facts on the merged timeline (Enter opens the story at the sentence)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from reader.index.queries import EntityDetail, entity_detail, sparkline
from reader.text import clean_line
from reader.ui.messages import OpenScreen, OpenStory
from reader.ui.screens.base import ReaderScreen
from reader.ui.screens.index_common import open_fact
from reader.ui.widgets.index_lists import (
    KIND_LABELS,
    FactList,
    IndexTable,
    cell,
    day,
    fact_prompt,
    muted,
    set_columns,
    text,
)

TREND_DAYS = 60
NARROW = 100  # below this width the stories get more room than the timeline


class EntityDetailScreen(ReaderScreen[None]):
    DEFAULT_CSS = """
    #detail-stories, #detail-related, #detail-facts {
        height: 1fr;
    }
    #detail-head {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    #detail-left {
        width: 1fr;
    }
    #detail-stories {
        height: 3fr;
    }
    #detail-related {
        height: 2fr;
    }
    #detail-facts {
        width: 1fr;
    }
    EntityDetailScreen.-narrow #detail-left {
        width: 3fr;
    }
    EntityDetailScreen.-narrow #detail-facts {
        width: 2fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("T", "timeline", "Its timeline"),
    ]

    @dataclass
    class DetailRead(Message):
        detail: EntityDetail | None  # None: the entity is no longer in the index

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.detail: EntityDetail | None = None
        self._filled_width = 0  # the screen width the tables' columns were set for

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-head")
        with Horizontal(id="detail-columns"):
            with Vertical(id="detail-left"):
                yield IndexTable(id="detail-stories").add_class("pane")
                yield IndexTable(id="detail-related").add_class("pane")
            yield FactList(id="detail-facts").add_class("pane")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#detail-stories").border_title = "Stories"
        self.query_one("#detail-related").border_title = "Seen with"
        self.query_one("#detail-facts").border_title = "Timeline"
        self.query_one("#detail-stories").focus()
        self._load(self.key)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
        if self.detail is not None and self._filled_width != self.size.width:
            self.call_after_refresh(self._fill, self.detail)  # fit the columns again

    @work(thread=True, exclusive=True, group="entity-detail", exit_on_error=False,
          description="reading the entity")
    def _load(self, key: str) -> None:
        detail = entity_detail(self.reader_app.store, key)
        self.post_message(self.DetailRead(detail))

    @on(DetailRead)
    def _detail_read(self, event: DetailRead) -> None:
        self._fill(event.detail)

    def _fill(self, detail: EntityDetail | None) -> None:
        if not self.query_one("#detail-stories").size.width:
            self.call_after_refresh(self._fill, detail)  # columns need the laid-out width
            return
        self.detail = detail
        self._filled_width = self.size.width
        head = self.query_one("#detail-head", Static)
        if detail is None:
            head.update(muted("This entity is no longer in the index (its stories were "
                              "removed or corrected)."))
            return
        e = detail.entity
        kind = KIND_LABELS.get(e.kind, clean_line(e.kind, 20))
        lines = [
            Content.assemble(Content.styled(clean_line(e.name, 120), "bold $text-accent"),
                             "  ", muted(kind)),
            Content(f"{e.stories:,} {'story' if e.stories == 1 else 'stories'} · "
                    f"{e.mentions:,} mentions · first seen {day(e.first_seen)} · "
                    f"last seen {day(e.last_seen)}"),
            Content.assemble(muted(f"Last {TREND_DAYS} days "),
                             Content.styled(sparkline(detail.trend(TREND_DAYS)), "$text-warning")),
        ]
        if e.aliases:
            lines.append(Content.assemble(muted("Also written: "),
                                          text(", ".join(e.aliases), 300)))
        head.update(Content("\n").join(lines))
        stories = self.query_one("#detail-stories", IndexTable)
        source_width = min(24, max(8, stories.size.width // 5))
        set_columns(stories, [("Date", "date", 10), ("Source", "feed", source_width),
                              ("Title", "title", 0)])
        stories.add_rows([(cell(day(s.published or s.fetched)), cell(s.feed_title, 60),
                           cell(s.title, 300)) for s in detail.stories])
        stories.border_title = f"Stories · {e.stories:,}"
        related = self.query_one("#detail-related", IndexTable)
        kinds = not self.has_class("-narrow")
        set_columns(related, [("Seen with", "name", 0), *([("Kind", "kind", 12)] if kinds
                                                           else []),
                              (cell("Together", right=True), "shared", 8)])
        related.add_rows([(cell(r.name, 60),
                           *([cell(KIND_LABELS.get(r.kind, r.kind), 20)] if kinds else []),
                           cell(f"{n:,}", right=True)) for r, n in detail.related])
        facts = self.query_one(FactList)
        width = max(40, facts.size.width)
        options = [Option(fact_prompt(m, width=width), id=f"fact:{i}")
                   for i, m in enumerate(detail.facts)]
        if not options:
            options = [Option(muted("No dated facts name this entity."), disabled=True)]
        facts.set_options(options)
        facts.highlighted = 0 if detail.facts else None
        facts.border_title = f"Timeline · {len(detail.facts):,}, newest first"

    # Choosing --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#detail-stories")
    def _story_chosen(self, event: DataTable.RowSelected) -> None:
        if self.detail is not None and 0 <= event.cursor_row < len(self.detail.stories):
            self.post_message(OpenStory(self.detail.stories[event.cursor_row].id))

    @on(DataTable.RowSelected, "#detail-related")
    def _related_chosen(self, event: DataTable.RowSelected) -> None:
        if self.detail is not None and 0 <= event.cursor_row < len(self.detail.related):
            self.post_message(OpenScreen(
                "entity_detail", {"key": self.detail.related[event.cursor_row][0].key}))

    @on(OptionList.OptionSelected, "#detail-facts")
    def _fact_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.detail is not None and event.option_index < len(self.detail.facts):
            open_fact(self, self.detail.facts[event.option_index])

    def action_timeline(self) -> None:
        if self.detail is not None:
            self.post_message(OpenScreen("merged_timeline", {
                "entity": self.key, "entity_name": self.detail.entity.name}))

    def action_back(self) -> None:
        self.dismiss()
