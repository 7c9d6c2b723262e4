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

# A box's title and the line of help under it, in dialogs and on the welcome screen.
TEXT_CSS = """
.dialog-title {
    width: 100%;
    text-style: bold;
    color: $text-accent;
    margin-bottom: 1;
}
.dialog-help {
    width: 100%;
    height: auto;
    color: $text-muted;
    margin-top: 1;
}
"""


class Dialog(ModalScreen[ResultT], ReaderScreen[ResultT]):
    """A centred box over the screen; Escape cancels, j/k/g/G move in the focused list."""

    # Read when the first dialog opens: start-up shows none.
    DEFAULT_CSS = """
    .dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }


    .dialog-error {
        color: $text-error;
        height: auto;
        margin-top: 1;
    }

    .dialog-link {
        color: $text-secondary;
        margin-bottom: 1;
    }

    .dialog-warning {
        color: $text-warning;
    }

    .dialog-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }

    .dialog-buttons Button {
        margin-left: 2;
    }

    .dialog.help {
        width: 84;
        height: 90%;
    }

    .dialog.help VerticalScroll {
        height: 1fr;
    }

    .dialog.report {
        width: 84;
    }

    .dialog.report VerticalScroll {
        height: auto;
        max-height: 24;
    }

    .dialog.timeline-filter {
        width: 64;
    }

    .filter-dates {
        height: auto;
    }

    .timeline-filter .filter-label {
        margin-top: 1;
        color: $text-muted;
    }

    .timeline-filter Input, .timeline-filter Select {
        margin-right: 1;
    }

    .filter-dates Vertical {
        height: auto;
        width: 1fr;
    }

    .dialog.sources {
        width: 96;
    }

    .dialog.sources OptionList {
        height: auto;
        max-height: 24;
    }
    """ + TEXT_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog_cancel"),
        *MOVE_BINDINGS,
    ]

    def action_go(self, move: str) -> None:
        go(self.focused, move)

    def action_cancel(self) -> None:
        self.dismiss(None)
