"""The help screen: every key as currently mapped (after the config's `[keys]`), with the
action id that remaps it. Scrolls with j/k, g/G, arrows, Home/End and PgUp/PgDn."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label

from reader.ui.dialogs.base import Dialog
from reader.ui.keys import SCREEN_KEYS, WIDGET_KEYS

NAMES = {"slash": "/", "asterisk": "*", "question_mark": "?", "escape": "esc", "delete": "del",
         "left_square_bracket": "[", "right_square_bracket": "]"}


def show_keys(keys: str) -> str:
    return " / ".join(NAMES.get(k.strip(), k.strip()) for k in keys.split(",") if k.strip())


def help_rows(keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(section, keys, what it does, action id) for every key, as remapped by `keymap`."""
    rows = [("Lists, dialogs and the story", show_keys(keymap[key_id]) if key_id in keymap
             else keys, description, key_id) for key_id, keys, description in WIDGET_KEYS]
    rows += [("Main screen", show_keys(keymap.get(k.id, k.keys)), k.help, k.id)
             for k in SCREEN_KEYS]
    return rows


class HelpScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help_close"),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def compose(self) -> ComposeResult:
        keymap = self.reader_app.keymap
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                section = ""
                for where, keys, text, key_id in help_rows(keymap):
                    if where != section:
                        section = where
                        yield Label(where, classes="help-section", markup=False)
                    with Horizontal(classes="help-row"):
                        yield Label(keys, classes="help-keys", markup=False)
                        yield Label(text, classes="help-text", markup=False)
                        yield Label(key_id, classes="help-id", markup=False)
            yield Label("The right column is the action id: remap it in the [keys] table of "
                        "config.toml, e.g. refresh_all = \"f5\". Esc closes.",
                        classes="dialog-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_page_down(self) -> None:
        self.query_one("#help-keys", VerticalScroll).scroll_page_down()

    def action_close(self) -> None:
        self.dismiss(None)
