"""The merged timeline (key T): dated facts from every story in event order, near-duplicates
from different stories folded into one entry that says how many outlets reported it.

Filters (f): an entity, a feed, a date range. Enter on a fact goes back to the main screen
and opens its story at the sentence (asking which story when several reported it). The list
holds one page and reads the next as the cursor nears its end (story_index.timeline_page), so
the screen costs one page of the index however many stories are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.index.queries import find_entity
from reader.index.timeline import MergedFact, timeline_page
from reader.models import Feed
from reader.text import clean_line
from reader.ui.dialogs.index import TimelineFilterDialog, TimelineFilters
from reader.ui.messages import OpenScreen
from reader.ui.screens.index_common import IndexScreen, open_fact
from reader.ui.widgets.index_lists import FactList, fact_prompt, muted

PAGE = 100
NEAR_END = 15


class MergedTimelineScreen(IndexScreen):
    DEFAULT_CSS = """
    #merged-facts {
        height: 1fr;
    }
    #timeline-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    #timeline-filters {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f,slash", "filter", "Filter"),
        Binding("c", "clear", "Clear filters"),
        Binding("o", "order", "Oldest/newest"),
        Binding("M", "map", "Map", show=False),
    ]

    @dataclass
    class PageRead(Message):
        """A page of merged facts (the first when `after` is None) for the list of
        `generation`; `key` is None when no entity is called `filters.entity`."""

        generation: int
        after: str | None
        facts: list[MergedFact]
        cursor: str | None  # where the next page starts; None when all are read
        filters: TimelineFilters
        key: str | None
        feeds: list[Feed] | None  # read with the first page, for the feed filter

    def __init__(self, *, entity: str | None = None, entity_name: str = "") -> None:
        super().__init__()
        self.filters = TimelineFilters(entity=entity_name or entity or "")
        self._entity_key = entity  # known already when opened from an entity
        self.newest_first = False
        self.facts: list[MergedFact] = []
        self.after: str | None = None  # the next page's cursor; None when all are shown
        self.feeds: list[Feed] = []
        self._generation = 0
        self._fetching = False

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-filters")
        yield FactList(id="merged-facts").add_class("pane")
        yield Label("", id="timeline-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(FactList).focus()
        self._describe()
        self.reload()
        self._updating = True  # the index is brought up to date once the list is shown

    # Loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        self._fetching = True
        self._load(self.filters, self._entity_key, self.newest_first, None, self._generation)

    @work(thread=True, exclusive=True, group="merged-timeline", exit_on_error=False,
          description="reading the merged timeline")
    def _load(self, filters: TimelineFilters, key: str | None, newest_first: bool,
              after: str | None, generation: int) -> None:
        store = self.reader_app.store
        feeds = store.feeds() if after is None else None
        if filters.entity and key is None:
            key = find_entity(store, filters.entity)
            if key is None:
                self.post_message(self.PageRead(generation, None, [], None, filters, None,
                                                feeds))
                return
        facts, cursor = timeline_page(
            store, size=PAGE, after=after, entity=key, feed_id=filters.feed_id,
            since=filters.since or None, until=filters.until or None, newest_first=newest_first)
        self.post_message(self.PageRead(generation, after, facts, cursor, filters, key, feeds))

    @on(PageRead)
    def _fill(self, event: PageRead) -> None:
        if event.generation != self._generation:
            return
        after, facts, cursor, filters, key = (event.after, event.facts, event.cursor,
                                              event.filters, event.key)
        if event.feeds is not None:
            self.feeds = event.feeds
        self._fetching = False
        listing = self.query_one(FactList)
        if filters.entity and key is None:
            self.facts, self.after = [], None
            listing.set_options([Option(Content.assemble(
                "No entity is called ", Content(clean_line(filters.entity, 60)),
                ". Press f to change the filter."), disabled=True)])
            self._status()
            self._shown()
            return
        self._entity_key = key
        width = max(40, listing.size.width - 2)
        base = 0 if after is None else len(self.facts)  # a first page replaces the list
        options = [Option(fact_prompt(m, width=width), id=f"fact:{base + i}")
                   for i, m in enumerate(facts)]
        if after is None:
            self.facts = list(facts)
            listing.set_options(options or [Option(muted(
                "No dated facts match." if filters.active else
                "No dated facts yet: refresh your feeds or load the sample stories."),
                disabled=True)])
            listing.highlighted = 0 if facts else None
        else:
            self.facts += facts
            listing.add_options(options)
        self.after = cursor
        self._status()
        if after is None:
            self._shown()

    def _shown(self) -> None:
        self._update_after_first_list()

    def _describe(self) -> None:
        f = self.filters
        parts: list[Content] = [Content.styled("Oldest first" if not self.newest_first
                                               else "Newest first", "bold")]
        if f.entity:
            parts.append(Content.assemble("naming ", Content.styled(
                clean_line(f.entity, 60), "bold $text-accent")))
        if f.feed_id is not None:
            title = next((x.title for x in self.feeds if x.id == f.feed_id), f"feed {f.feed_id}")
            parts.append(Content.assemble("from ", Content.styled(clean_line(title, 60),
                                                                  "bold")))
        if f.since:
            parts.append(Content(f"since {f.since}"))
        if f.until:
            parts.append(Content(f"until {f.until}"))
        if not f.active:
            parts.append(muted("every story · f filters by entity, feed or date"))
        self.query_one("#timeline-filters", Static).update(Content(" · ").join(parts))

    def _status(self) -> None:
        shown = f"{len(self.facts):,}{'+' if self.after is not None else ''}"
        reports = sum(len(m.sources) for m in self.facts)
        self.query_one(FactList).border_title = f"Merged timeline · {shown} events"
        status = self.query_one("#timeline-status", Label)
        if self._updating:
            status.update("Updating the index with new stories…")
        else:
            status.update(f"{reports:,} reports folded into {len(self.facts):,} events · "
                          "Enter opens the story at the sentence")

    @on(OptionList.OptionHighlighted, "#merged-facts")
    def _near_end(self, event: OptionList.OptionHighlighted) -> None:
        if (self.after is not None and not self._fetching
                and event.option_index >= len(self.facts) - NEAR_END):
            self._fetching = True
            self._load(self.filters, self._entity_key, self.newest_first, self.after,
                       self._generation)

    # Actions ---------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#merged-facts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.facts):
            open_fact(self, self.facts[event.option_index])

    def action_map(self) -> None:
        """The developing story's places, within this timeline's filters."""
        f = self.filters
        feed = next((x.title for x in self.feeds if x.id == f.feed_id), "")
        self.post_message(OpenScreen("developing_map", {
            "entity": f.entity, "feed_id": f.feed_id, "since": f.since, "until": f.until,
            "label": feed}))

    def action_filter(self) -> None:
        self.app.push_screen(TimelineFilterDialog(self.filters, self.feeds), self._filtered)

    def _filtered(self, filters: TimelineFilters | None) -> None:
        if filters is None or filters == self.filters:
            return
        if filters.entity != self.filters.entity:
            self._entity_key = None  # resolve the new name in the worker
        self.filters = filters
        self._describe()
        self.reload()

    def action_clear(self) -> None:
        self._filtered(TimelineFilters())

    def action_order(self) -> None:
        self.newest_first = not self.newest_first
        self._describe()
        self.reload()

    def action_back(self) -> None:
        self.dismiss()
