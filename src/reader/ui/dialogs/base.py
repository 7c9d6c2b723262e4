"""The one base of every dialog: a modal screen that dismisses with a typed result.

A dialog gathers the reader's choice and dismisses with it as a value of its result type
(a dataclass when there is more than one thing to say); Escape dismisses with None. Being a
`ReaderScreen`, a dialog's failed workers are reported like any screen's.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from reader.ui.keys import MOVE_BINDINGS, go
from reader.ui.screens.base import ReaderScreen, ResultT


class Dialog(ModalScreen[ResultT], ReaderScreen[ResultT]):
    """A centred box over the screen; Escape cancels, j/k/g/G move in the focused list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog_cancel"),
        *MOVE_BINDINGS,
    ]

    def action_go(self, move: str) -> None:
        go(self.focused, move)

    def action_cancel(self) -> None:
        self.dismiss(None)
