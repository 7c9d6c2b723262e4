"""The key footer, minus the keys that do not fit: Textual's footer scrolls sideways, which
on a narrow terminal cuts the last key in half under the command palette's key and lets a
letter of it show past the end ("^p palettee")."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE_ROOM = 13  # "│^p palette " and a spare cell


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes, with the space after it."""
    return cell_len(key.key_display) + cell_len(key.description) + 2


class ReaderFooter(Footer):
    def compose(self) -> ComposeResult:
        room = (self.size.width or self.app.size.width) - PALETTE_ROOM
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                room -= key_width(widget)
                if room < 0:
                    continue
            yield widget

    def on_resize(self) -> None:
        self.refresh(recompose=True)
