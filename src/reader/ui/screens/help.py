"""The help screen: every key, as currently mapped (after the config's `[keys]`)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from reader.ui.keys import SCREEN_KEYS, WIDGET_KEYS
from reader.ui.screens.base import ReaderScreen

NAMES = {"slash": "/", "asterisk": "*", "question_mark": "?", "escape": "esc"}


def show_keys(keys: str) -> str:
    return " / ".join(NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


class HelpScreen(ModalScreen[None], ReaderScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help_close"),
    ]

    def compose(self) -> ComposeResult:
        keymap = self.reader_app.keymap
        rows: list[tuple[str, str]] = []
        for key_id, keys, description in WIDGET_KEYS:
            rows.append((show_keys(keymap.get(key_id, "")) if key_id in keymap else keys,
                         description))
        for key in SCREEN_KEYS:
            rows.append((show_keys(keymap.get(key.id, key.keys)), key.help))
        width = max(len(k) for k, _ in rows) + 2
        text = Content("\n").join(
            Content.assemble(Content.styled(k.ljust(width), "bold $text-accent"), d)
            for k, d in rows)
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(text, id="help-keys")
            yield Label("Remap keys in the [keys] table of config.toml, e.g. "
                        "refresh_all = \"f5\".  Esc closes.", classes="dialog-help", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
