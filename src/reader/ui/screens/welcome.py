"""First run: nothing subscribed yet. Offers the sample stories, suggested feeds, adding a
URL, or importing OPML. Dismisses with a short message once something was added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from reader.text import counted
from reader.ui.data.suggested import SUGGESTED_FEEDS
from reader.ui.dialogs.base import TEXT_CSS
from reader.ui.dialogs.general import AddUrlDialog, ImportOpmlDialog
from reader.ui.screens.base import ReaderScreen

INTRO = ("warreader keeps the stories of the feeds you follow on this computer, with the people, "
         "places and dates each story mentions. Nothing is subscribed yet. What would you like "
         "to do?")


class WelcomeScreen(ReaderScreen[str | None]):
    DEFAULT_CSS = """
    WelcomeScreen {
        align: center middle;
    }
    #welcome {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    #welcome-intro {
        margin-bottom: 1;
    }
    #welcome-actions {
        height: auto;
        max-height: 6;
        border: round $foreground 25%;
    }
    #welcome-actions:focus, #suggested-feeds:focus {
        border: round $accent;
    }
    /* An unticked box shows no mark at all: the default dim X reads as ticked on many
       terminals. */
    #suggested-feeds > .selection-list--button,
    #suggested-feeds > .selection-list--button-highlighted {
        color: $panel;
    }
    #suggested-feeds {
        height: auto;
        max-height: 10;
        border: round $foreground 25%;
    }
    """ + TEXT_CSS
    @dataclass
    class Subscribed(Message):
        message: str

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("j", "move(1)", "Down", show=False, id="move_down"),
        Binding("k", "move(-1)", "Up", show=False, id="move_up"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Label("Welcome to warreader", classes="dialog-title")
            yield Static(INTRO, id="welcome-intro", markup=False)
            yield OptionList(
                Option("Read the sample stories (no network needed)", id="sample"),
                Option("Subscribe to the feeds ticked below", id="suggested"),
                Option("Add a feed or page address…", id="add"),
                Option("Import an OPML subscription file…", id="opml"),
                id="welcome-actions", markup=False,
            )
            yield Label("Suggested war-reporting feeds (space ticks, addresses not checked "
                        "offline):", classes="dialog-help", markup=False)
            yield SelectionList[str](
                *[(Content(f"{s.title} - {s.note}"), s.url) for s in SUGGESTED_FEEDS],
                id="suggested-feeds",
            )
        yield Footer()

    def action_move(self, step: int) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            if step > 0:
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def action_quit(self) -> None:
        self.app.exit()

    @on(OptionList.OptionSelected, "#welcome-actions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice == "sample":
            self.dismiss("sample")
        elif choice == "suggested":
            chosen = list(self.query_one("#suggested-feeds", SelectionList).selected)
            if not chosen:
                self.notify("Tick some feeds first: move to the list with Tab, press space.",
                            severity="warning")
                return
            self._subscribe(chosen)
        elif choice == "add":
            self.app.push_screen(AddUrlDialog(), self._added)
        elif choice == "opml":
            self.app.push_screen(ImportOpmlDialog(), self._added)

    def _added(self, message: str | None) -> None:
        if message:
            self.notify(message, markup=False)
            self.dismiss("refresh")

    @work(thread=True, exclusive=True, group="welcome", exit_on_error=False,
          description="subscribing to the feeds")
    def _subscribe(self, urls: list[str]) -> None:
        titles = {s.url: s.title for s in SUGGESTED_FEEDS}
        for url in urls:
            self.reader_app.store.add_feed(url, titles.get(url))
        self.post_message(self.Subscribed(f"Subscribed to {counted(len(urls), 'feed')}."))

    @on(Subscribed)
    def _subscribed(self, event: Subscribed) -> None:
        self._added(event.message)
