"""The key footer, minus the keys that do not fit: Textual's footer scrolls sideways, which
on a narrow terminal cuts the last key in half under the command palette's key and lets a
letter of it show past the end ("^p palettee")."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE_ROOM = 13  # "│^p palette " and a spare cell


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes, with the space after it."""
    return cell_len(key.key_display) + cell_len(key.description) + 2


class ReaderFooter(Footer):
    _width = 0  # the width the keys were last chosen for

    def compose(self) -> ComposeResult:
        self._width = self.size.width or self.app.size.width
        room = self._width - PALETTE_ROOM
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                room -= key_width(widget)
                if room < 0:
                    continue
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        # Only a new width changes which keys fit; the first resize, at start, does not.
        if event.size.width != self._width:
            self.refresh(recompose=True)
