"""Dialogs for managing feeds from the reader: confirm, rename, export subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from reader.errors import SaveError
from reader.text import clean_line
from reader.ui.dialogs.base import Dialog
from reader.ui.screens.base import failure_text

if TYPE_CHECKING:
    from textual.worker import Worker


class ConfirmDialog(Dialog[str | None]):
    """A question answered with y (dismisses with "yes") or n / Escape (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yes", "Yes", id="confirm_yes"),
        Binding("n,escape", "cancel", "No", id="confirm_no"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            if self.detail:
                yield Static(Content(self.detail), classes="dialog-help")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button("Cancel (n)", id="no")

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss("yes")

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)


class RenameFeedDialog(Dialog[str | None]):
    """The feed's name in an Input; dismisses with the new name ("" restores the feed's
    own title), or None when cancelled."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_now = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Rename the feed", classes="dialog-title")
            yield Input(clean_line(self.name_now, 200), id="feed-name")
            yield Label("Enter keeps it; an empty name brings back the feed's own title. "
                        "Escape cancels.", classes="dialog-help", markup=False)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())


class ExportOpmlDialog(Dialog[str | None]):
    """Asks where to write the subscriptions as OPML and writes them in a worker."""

    @dataclass
    class Written(Message):
        path: Path

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export subscriptions (OPML)", classes="dialog-title")
            yield Input(str(self.default), id="opml-path")
            yield Static("", id="opml-error", classes="dialog-error")
            yield Label("Enter writes the file (replacing one already there). Escape cancels.",
                        classes="dialog-help", markup=False)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._export(Path(event.value.strip()).expanduser())

    @work(thread=True, exclusive=True, group="opml", exit_on_error=False,
          description="exporting the subscriptions")
    def _export(self, path: Path) -> None:
        from reader.export.files import write_atomic
        from reader.pipeline.subscribe import export_opml

        text = export_opml(self.reader_app.store)
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            raise SaveError(f"Could not write {path}: {exc.strerror or exc}") from exc
        self.post_message(self.Written(path))

    @on(Written)
    def _written(self, event: Written) -> None:
        self.dismiss(f"Subscriptions written to {event.path}.")

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        # Said in the dialog, which stays open to choose another place.
        self.query_one("#opml-error", Static).update(
            Content(failure_text(worker.description, error)))
