"""The base of every screen: the app as a `WarReaderApp`, and one error path for workers.

A worker that raises does not stop the reader: its screen shows what went wrong as a
notification. The core's own errors are worded for the reader and shown as they are; anything
else is a bug, shown with the worker's description ("while opening the story") and a short
reason, so the reader knows which action failed and the rest keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from reader.text import clean_line
from reader.ui.data.failures import failure_text
from reader.ui.messages import Notice

if TYPE_CHECKING:
    from textual.widget import Widget

    from reader.ui.app import WarReaderApp

ResultT = TypeVar("ResultT")


class ReaderScreen(Screen[ResultT]):
    """A screen whose failed workers end in a notification rather than in silence.

    Workers say what they do in the reader's words with `description=` ("opening the
    story") and post what they found as messages (a `Notice` to tell the reader). A screen
    that must undo something when a worker fails (a status line left saying "Refreshing…")
    extends `worker_failed`.
    """

    # The widgets whose own keys belong to this screen (the map's pan and zoom), for the
    # help screen, which lists the screen's bindings and theirs.
    KEY_WIDGETS: ClassVar[tuple[type[Widget], ...]] = ()

    @property
    def reader_app(self) -> WarReaderApp:
        # Screens know the app by its type only: importing it would make a cycle.
        return cast("WarReaderApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # StateChanged does not bubble: these are this screen's own workers.
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker, event.worker.error)

    def on_notice(self, event: Notice) -> None:
        self.notify(clean_line(event.text, 400), markup=False, timeout=event.timeout,
                    severity=event.severity)

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        """Tell the reader that `worker` failed with `error`."""
        self.notify(failure_text(worker.description, error), severity="error", markup=False,
                    timeout=8)
