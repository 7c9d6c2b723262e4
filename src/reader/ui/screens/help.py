"""The help screen: every key as currently mapped (after the config's `[keys]`), with the
action id that remaps it. Scrolls with j/k, g/G, arrows, Home/End and PgUp/PgDn.

The main screen's keys come from reader.ui.keys; every other screen's from its bindings and
those of the widgets it names in KEY_WIDGETS (the map's pan and zoom), so a key added to a
screen is on the help screen without anyone having to remember it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.keys import format_key
from textual.widgets import Label

from reader.ui.dialogs.base import Dialog
from reader.ui.keys import SCREEN_KEYS, WIDGET_KEYS
from reader.ui.messages import ScreenName

NAMES = {"slash": "/", "asterisk": "*", "question_mark": "?", "escape": "esc", "delete": "del",
         "left_square_bracket": "[", "right_square_bracket": "]", "enter": "enter"}

# The other screens, in the order the help lists them, by the names the app opens them by.
OTHER_SCREENS: tuple[tuple[str, ScreenName], ...] = (
    ("Entity index (E)", "entity_index"),
    ("An entity (Enter on the entity index)", "entity_detail"),
    ("All dates (T)", "merged_timeline"),
    ("Map of the story (M)", "story_map"),
    ("Map of the developing story (M on the entity index or all dates)", "developing_map"),
    ("Welcome (first start)", "welcome"),
    ("This help (?)", "help"),
)

# Moves every list takes (j/k/g/G...): listed once, in the first section.
_GENERAL_IDS = frozenset(key_id for key_id, _, _ in WIDGET_KEYS if key_id)


def key_names(keys: str) -> list[str]:
    """Keys as the help shows them: "full_stop,comma" is [".", ","]."""
    return [NAMES.get(k.strip()) or format_key(k.strip()) for k in keys.split(",") if k.strip()]


def show_keys(keys: str) -> str:
    return " / ".join(key_names(keys))


def own_bindings(cls: type) -> list[Binding]:
    """The bindings warreader's own classes give `cls`, nearest class first; a key that a
    subclass rebinds is left out of its base's binding. Textual's (tab, the palette) are not
    included, nor the general moves."""
    out: list[Binding] = []
    taken: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("reader.") or "BINDINGS" not in vars(klass):
            continue
        for binding in Binding.make_bindings(vars(klass)["BINDINGS"]):
            keys = [k.strip() for k in binding.key.split(",") if k.strip()]
            free = [k for k in keys if k not in taken]
            taken.update(keys)
            if free and binding.id not in _GENERAL_IDS:
                out.append(Binding(",".join(free), binding.action, binding.description,
                                   id=binding.id))
    return out


def screen_rows(section: str, screen: type, keymap: dict[str, str]
                ) -> list[tuple[str, str, str, str]]:
    """A screen's rows: its own bindings, then those of its KEY_WIDGETS; bindings that share
    a description ("Pan" on h, j, k and l) are one row."""
    rows: dict[str, tuple[list[str], str]] = {}
    for owner in (screen, *getattr(screen, "KEY_WIDGETS", ())):
        for binding in own_bindings(owner):
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            shown, _ = rows.setdefault(binding.description, ([], binding.id or ""))
            shown += [k for k in key_names(keys) if k not in shown]
    return [(section, " / ".join(shown), description, key_id)
            for description, (shown, key_id) in rows.items()]


def help_rows(keymap: dict[str, str], screens: Iterable[tuple[str, type]] = ()
              ) -> list[tuple[str, str, str, str]]:
    """(section, keys, what it does, action id) for every key, as remapped by `keymap`: the
    general moves, the main screen's keys, then each of `screens` (section title, class)."""
    rows = [("Lists, dialogs and the story", show_keys(keymap[key_id]) if key_id in keymap
             else keys, description, key_id) for key_id, keys, description in WIDGET_KEYS]
    rows += [("Main screen", show_keys(keymap.get(k.id, k.keys)), k.help, k.id)
             for k in SCREEN_KEYS]
    for section, screen in screens:
        rows += screen_rows(section, screen, keymap)
    return rows


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    .help-row {
        height: auto;
    }
    .help-keys {
        width: 18;
        color: $text-accent;
        text-style: bold;
    }
    .help-text {
        width: 1fr;
        padding-right: 1;  /* a wrapped description never runs into the action id */
    }
    .help-id {
        width: 20;
        color: $text-muted;
        padding-left: 1;
    }
    .help-section {
        margin-top: 1;
        text-style: bold;
        color: $text-accent;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help_close"),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.reader_app
        # Through the app, which knows every screen by name: screens never import each other.
        screens = [(title, app.screen_class(name)) for title, name in OTHER_SCREENS]
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                section = ""
                for where, keys, text, key_id in help_rows(app.keymap, screens):
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
