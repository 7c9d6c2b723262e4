"""Dialogs of the merged timeline: its filters, and which source of a fact to open."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from reader.index.dates import date_filter
from reader.index.timeline import FactSource, MergedFact
from reader.models import Feed
from reader.text import clean_line, counted
from reader.ui.dialogs.base import Dialog
from reader.ui.widgets.index_lists import day, muted


@dataclass(frozen=True)
class TimelineFilters:
    """What the merged timeline shows; empty strings and None mean no filter."""

    entity: str = ""  # as typed: a name or alias, resolved by the screen
    feed_id: int | None = None
    since: str = ""
    until: str = ""

    @property
    def active(self) -> bool:
        return bool(self.entity or self.feed_id is not None or self.since or self.until)


class TimelineFilterDialog(Dialog[TimelineFilters | None]):
    """Entity, feed and date range; Enter in any box applies, Escape cancels."""

    def __init__(self, current: TimelineFilters, feeds: list[Feed]) -> None:
        super().__init__()
        self.current = current
        self.feeds = feeds

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog timeline-filter"):
            yield Label("Filter the timeline", classes="dialog-title")
            yield Label("Entity (a name or alias)", classes="filter-label")
            yield Input(self.current.entity, placeholder="e.g. Kharkiv", id="filter-entity",
                        compact=True)
            yield Label("Feed", classes="filter-label")
            yield Select([(clean_line(f.title, 60) or f"Feed {f.id}", f.id) for f in self.feeds],
                         prompt="Any feed", value=self.current.feed_id
                         if self.current.feed_id is not None else Select.NULL,
                         id="filter-feed", compact=True)
            with Horizontal(classes="filter-dates"):
                with Vertical():
                    yield Label("Since", classes="filter-label")
                    yield Input(self.current.since, placeholder="YYYY[-MM[-DD]]",
                                id="filter-since", compact=True)
                with Vertical():
                    yield Label("Until (inclusive)", classes="filter-label")
                    yield Input(self.current.until, placeholder="YYYY[-MM[-DD]]",
                                id="filter-until", compact=True)
            yield Static("", id="filter-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#filter-entity").focus()

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply(self) -> None:
        dates = []
        try:
            for name in ("since", "until"):
                value = self.query_one(f"#filter-{name}", Input).value.strip()
                dates.append(date_filter(value) if value else "")
        except ValueError as exc:
            self.query_one("#filter-error", Static).update(Content(str(exc)))
            return
        feed = self.query_one(Select).value
        self.dismiss(TimelineFilters(
            entity=clean_line(self.query_one("#filter-entity", Input).value, 200),
            feed_id=feed if isinstance(feed, int) else None, since=dates[0], until=dates[1]))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(TimelineFilters())

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class SourcesDialog(Dialog[FactSource | None]):
    """The outlets that reported a fact: Enter opens that story at its sentence."""

    def __init__(self, fact: MergedFact) -> None:
        super().__init__()
        self.fact = fact

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog sources"):
            yield Label(f"Reported by {counted(self.fact.outlets, 'outlet')}",
                        classes="dialog-title")
            yield OptionList(*(Option(Content.assemble(
                Content.styled(clean_line(s.feed_title, 40) or "?", "bold"), "  ",
                muted(day(s.published)), "\n", Content(clean_line(s.story_title, 200)), "\n",
                muted(clean_line(s.sentence, 300))))
                for s in self.fact.sources), id="sources", markup=False)
            yield Label("Enter opens the story at this sentence · Escape cancels",
                        classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.fact.sources[event.option_index])
