"""The entity index (key E): people, places and organisations across every stored story,
by kind, with story counts, first and last seen, and mentions per day as a sparkline.

The table holds one page of entities and fetches the next as the cursor nears its end, so
10,000 stories cost one indexed query when the screen opens. The index itself is brought up
to date in a second worker; if that found new stories, the table is read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Tab, Tabs

from reader.index.queries import IndexedEntity, entities, sparkline, trends
from reader.models import EntityKind
from reader.ui.messages import OpenScreen
from reader.ui.screens.index_common import IndexScreen
from reader.ui.widgets.index_lists import IndexTable, cell, day, set_columns

PAGE = 100
NEAR_END = 20  # rows from the end at which the next page is fetched
KIND_TABS = (*((k.value, k.plural) for k in EntityKind), ("all", "All"))


def trend_cell(counts: list[int]) -> Text:
    """The sparkline with quiet days dimmed, so the days with mentions stand out."""
    bars = sparkline(counts)
    out = Text(no_wrap=True, end="")
    for bar, count in zip(bars, counts, strict=True):
        out.append(bar, style="bold" if count else "dim")
    return out


class EntityTable(IndexTable):
    """The entity list: left and right (h, l) switch kind rather than scroll sideways."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "screen.kind(-1)", "Kind", show=False),
        Binding("right,l", "screen.kind(1)", "Kind", key_display="←→"),
    ]


class EntityIndexScreen(IndexScreen):
    DEFAULT_CSS = """
    #entity-table {
        height: 1fr;
    }
    #entity-filter {
        margin: 0 1;
    }
    #entity-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="index_back"),
        Binding("slash,f", "filter", "Filter", id="index_filter"),
        Binding("T", "timeline", "Timeline", id="index_timeline"),
        Binding("M", "map", "Map", show=False, id="index_map"),
    ]
    KEY_WIDGETS = (EntityTable,)  # h/l switch kind

    @dataclass
    class PageRead(Message):
        """A page of entities from `offset`, for the list of `generation` (see `reload`)."""

        generation: int
        offset: int
        items: list[IndexedEntity]
        spark: dict[str, list[int]]  # mentions per day, by entity key

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = "person"
        self.query_text = ""
        self.items: list[IndexedEntity] = []
        self.more = False  # the last page was full: there may be another
        self._generation = 0
        self._fetching = False
        self._laid_out_for: int | None = None  # the table width the columns were set for

    def compose(self) -> ComposeResult:
        yield Tabs(*(Tab(label, id=f"kind-{kind}") for kind, label in KIND_TABS),
                   id="entity-kinds")
        yield Input(placeholder="Filter by name or alias (Enter keeps it, Escape clears)",
                    id="entity-filter")
        yield EntityTable(id="entity-table").add_class("pane")
        yield Label("", id="entity-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(EntityTable)
        table.border_title = "Entities"
        self.query_one("#entity-filter").display = False
        table.focus()
        self._load(self.kind, self.query_text, self._generation, 0)
        self._updating = True  # the index is brought up to date once the list is shown

    def on_resize(self) -> None:
        # Column widths are set when the rows are: read the first page again to fit.
        table = self.query_one(EntityTable)
        if self._laid_out_for not in (None, table.size.width) and not self._fetching:
            self.reload()

    @property
    def trend_days(self) -> int:
        return 30 if self.size.width >= 100 else 14

    # Loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        self._fetching = True
        self._load(self.kind, self.query_text, self._generation, 0)

    @work(thread=True, exclusive=True, group="entity-index", exit_on_error=False,
          description="reading the entity index")
    def _load(self, kind: str | None, query: str, generation: int, offset: int) -> None:
        store = self.reader_app.store
        items = entities(store, kind=kind, limit=PAGE, query=query or None, offset=offset)
        days = self.trend_days
        spark = trends(store, [e.key for e in items], days=days)
        self.post_message(self.PageRead(generation, offset, items, spark))

    @on(PageRead)
    def _fill(self, event: PageRead) -> None:
        if event.generation != self._generation:
            return  # the kind or filter changed meanwhile
        table = self.query_one(EntityTable)
        if not table.size.width:  # columns need the laid-out width
            self.call_after_refresh(self._fill, event)
            return
        offset, items, spark = event.offset, event.items, event.spark
        self._fetching = False
        if offset == 0:
            self.items = []
            self._laid_out_for = table.size.width
            set_columns(table, [("Name", "name", 0), (cell("Stories", right=True), "stories", 7),
                                ("First seen", "first", 10), ("Last seen", "last", 10),
                                (f"Last {self.trend_days} days", "trend", self.trend_days)])
        table.add_rows(
            [(cell(e.name), cell(f"{e.stories:,}", right=True), cell(day(e.first_seen)),
              cell(day(e.last_seen)), trend_cell(spark.get(e.key, [])))
             for e in items],
        )
        self.items += items
        self.more = len(items) == PAGE
        self._status()
        self._update_after_first_list()

    def _status(self) -> None:
        label = dict(KIND_TABS).get(self.kind or "all", "All")
        shown = f"{len(self.items):,}{'+' if self.more else ''}"
        self.query_one(EntityTable).border_title = f"{label} · {shown}"
        status = self.query_one("#entity-status", Label)
        if self._updating:
            status.update("Updating the index with new stories…")
        elif not self.items and self.query_text:
            status.update("No entity of this kind matches the filter.")
        elif not self.items:
            status.update("No entities yet: refresh your feeds (r) or load the sample stories.")
        else:
            status.update("Enter: stories, related entities and timeline · T: merged timeline")

    @on(DataTable.RowHighlighted, "#entity-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self.more and not self._fetching and event.cursor_row >= len(self.items) - NEAR_END:
            self._fetching = True
            self._load(self.kind, self.query_text, self._generation, len(self.items))

    # Actions ---------------------------------------------------------------------------

    @on(Tabs.TabActivated, "#entity-kinds")
    def _kind_chosen(self, event: Tabs.TabActivated) -> None:
        kind = (event.tab.id or "kind-all").removeprefix("kind-")
        kind_or_none = None if kind == "all" else kind
        if kind_or_none != self.kind:
            self.kind = kind_or_none
            self.reload()

    def action_kind(self, step: int) -> None:
        tabs = self.query_one(Tabs)
        tabs.action_next_tab() if step > 0 else tabs.action_previous_tab()

    def action_filter(self) -> None:
        box = self.query_one("#entity-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#entity-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.reload()

    @on(Input.Submitted, "#entity-filter")
    def _filter_kept(self) -> None:
        self.query_one(EntityTable).focus()
        if not self.query_text:
            self.query_one("#entity-filter").display = False

    @on(DataTable.RowSelected, "#entity-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.items):
            self.post_message(OpenScreen("entity_detail",
                                         {"key": self.items[event.cursor_row].key}))

    def action_timeline(self) -> None:
        self.post_message(OpenScreen("merged_timeline"))

    def action_map(self) -> None:
        self.post_message(OpenScreen("developing_map"))

    def action_back(self) -> None:
        box = self.query_one("#entity-filter", Input)
        if box.has_focus or box.display:
            box.value = ""
            box.display = False
            self.query_one(EntityTable).focus()
            return
        self.dismiss()
