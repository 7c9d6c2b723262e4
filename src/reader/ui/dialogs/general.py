"""Small modal dialogs: add a URL, search, confirm opening a link, import OPML, refresh report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from reader.errors import ReaderError
from reader.models import RefreshSummary
from reader.text import clean_line, counted
from reader.ui.data.failures import failure_text
from reader.ui.dialogs.base import Dialog

if TYPE_CHECKING:
    from textual.worker import Worker


class AddUrlDialog(Dialog[str | None]):
    """Asks for a feed or page address, checks it, and adds it in a worker.

    Dismisses with the core's message on success; errors stay in the dialog.
    """

    @dataclass
    class Added(Message):
        message: str  # what was added, in the core's words

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Add a feed or a page", classes="dialog-title")
            yield Label("Paste a feed address, or any web page: its feed is found if it has "
                        "one, otherwise the page is kept as a story.", classes="dialog-help")
            yield Input(placeholder="https://…", id="url")
            yield Static("", id="add-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#add")
    @on(Input.Submitted)
    def _submit(self) -> None:
        from reader.net.urls import web_address

        error = self.query_one("#add-error", Static)
        try:
            url = web_address(self.query_one(Input).value)
        except ReaderError as exc:
            error.update(Content(str(exc)))
            return
        error.update(Content.styled("Adding…", "$text-muted"))
        self.query_one("#add", Button).disabled = True
        self._add(url)

    @work(thread=True, exclusive=True, group="add-url", exit_on_error=False,
          description="adding the address")
    def _add(self, url: str) -> None:
        from reader.pipeline.subscribe import add_url

        app = self.reader_app
        message, _ = add_url(app.store, app.config, url)
        self.post_message(self.Added(message))

    @on(Added)
    def _added(self, event: Added) -> None:
        self.dismiss(event.message)

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        # Said in the dialog, which stays open to correct the address.
        self.query_one("#add-error", Static).update(
            Content(failure_text(worker.description, error)))
        self.query_one("#add", Button).disabled = False


class SearchDialog(Dialog[str | None]):
    """Asks for words to search for; dismisses with them."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Search every stored story", classes="dialog-title")
            yield Input(placeholder="words to find, e.g. ceasefire Kharkiv", id="query")
            yield Label("Enter to search, Escape to cancel.", classes="dialog-help")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class ImportOpmlDialog(Dialog[str | None]):
    """Asks for an OPML file and imports it in a worker; dismisses with a message."""

    @dataclass
    class Imported(Message):
        added: int
        existing: int  # feeds of the file already subscribed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Import subscriptions (OPML)", classes="dialog-title")
            yield Input(placeholder="~/subscriptions.opml", id="path")
            yield Static("", id="opml-error", classes="dialog-error")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._import(Path(event.value.strip()).expanduser())

    @work(thread=True, exclusive=True, group="opml", exit_on_error=False,
          description="importing the subscriptions")
    def _import(self, path: Path) -> None:
        from reader.pipeline.subscribe import import_opml

        self.post_message(self.Imported(*import_opml(self.reader_app.store, path)))

    @on(Imported)
    def _imported(self, event: Imported) -> None:
        self.dismiss(f"Subscribed to {counted(event.added, 'feed')} ({event.existing} "
                     "already subscribed).")

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        self.query_one("#opml-error", Static).update(
            Content(failure_text(worker.description, error)))


class ConfirmLinkDialog(Dialog[str | None]):
    """Shows a link and opens it only when the reader says so."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yes", "Open", id="confirm_yes"),
        Binding("n,escape", "cancel", "Cancel", id="confirm_no"),
    ]

    def __init__(self, href: str) -> None:
        super().__init__()
        self.href = href

    def compose(self) -> ComposeResult:
        from reader.ui.data.links import link_parts

        parts = link_parts(self.href)
        with Vertical(classes="dialog"):
            if parts is None:
                yield Label("This is not a web address; only http and https links open.",
                            classes="dialog-title")
                yield Static(Content(clean_line(self.href, 300)), classes="dialog-link")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Close (n)", id="no")
                return
            yield Label("Open this link in your browser?", classes="dialog-title")
            # Where the link goes, first and on its own: a long address can hide its real
            # host after an "@" or thousands of characters in.
            yield Static(Content.assemble(
                "Site:   ", Content.styled(parts.site, "bold $text-accent"),
                f"  ({parts.scheme})"), id="link-site")
            if parts.shown_host:
                yield Static(Content.assemble(
                    "Written as ", Content(clean_line(parts.shown_host, 100)),
                    ": letters from other alphabets can look like a familiar name."),
                    classes="dialog-warning")
            if parts.userinfo:
                yield Static(Content.assemble(
                    "Careful: the address starts with ",
                    Content.styled(clean_line(parts.userinfo, 60), "bold"),
                    f" before an @. That is a user name, not the site; the site is {parts.site}."),
                    id="link-userinfo", classes="dialog-warning")
            yield Static(Content.assemble("Path:   ", Content(clean_line(parts.rest, 300))),
                         classes="dialog-link")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open (y)", variant="primary", id="yes")
                yield Button("Cancel (n)", id="no")

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        from reader.ui.data.links import link_parts

        if link_parts(self.href) is not None:
            self.dismiss(self.href)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)


def report_lines(summary: RefreshSummary) -> list[Content]:
    """What a refresh did, in words, failures first with their reasons."""
    failed = summary.failed
    total = len(summary.results)
    lines: list[Content] = []
    if summary.cancelled:
        lines.append(Content("The refresh was cancelled; what was fetched is kept."))
    if failed and len(failed) == total:
        lines.append(Content(
            f"None of the {total} feeds could be refreshed: are you offline? "
            "Stories already stored are unchanged."))
    elif failed:
        lines.append(Content(f"{len(failed)} of {counted(total, 'feed')} could not be "
                             "refreshed."))
    lines.append(Content(f"{counted(summary.new, 'new story', 'new stories')}; "
                         f"{counted(summary.pages_fetched, 'full page')} fetched, "
                         f"{summary.pages_failed} unavailable."))
    for result in failed:
        lines.append(Content.assemble(
            Content.styled(clean_line(result.title or result.url, 80), "bold"), "\n  ",
            Content.styled(clean_line(result.error or "failed", 300), "$text-error")))
    return lines


class RefreshReport(Dialog[None]):
    """The outcome of a refresh that had failures (or was cancelled)."""

    DEFAULT_CSS = """
    .report-line {
        margin-bottom: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "cancel", "Close", id="report_close"),
    ]

    def __init__(self, summary: RefreshSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog report"):
            yield Label("Refresh finished", classes="dialog-title")
            with VerticalScroll():
                for line in report_lines(self.summary):
                    yield Static(line, classes="report-line")
            yield Label("Enter or Escape to close.", classes="dialog-help")
