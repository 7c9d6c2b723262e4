"""Every key of the reader in one table: the main screen's bindings, the help screen and the
command palette are all built from it. Each binding has an id that `[keys]` in the config
file can remap (`refresh_all = "f5"`, several keys comma separated)."""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding, BindingType
from textual.widget import Widget


class Key(NamedTuple):
    id: str
    keys: str
    action: str
    description: str
    help: str
    footer: bool = True


SCREEN_KEYS: tuple[Key, ...] = (
    Key("refresh_all", "r", "refresh_all", "Refresh", "Refresh every feed"),
    Key("refresh_feed", "R", "refresh_feed", "Refresh feed", "Refresh the selected feed",
        False),
    Key("cancel_refresh", "x", "cancel_refresh", "Cancel", "Cancel the running refresh"),
    Key("search", "slash", "search", "Search", "Full-text search over every stored story"),
    Key("toggle_read", "m", "toggle_read", "Read", "Mark the story read or unread"),
    Key("star", "asterisk", "star", "Star", "Star or unstar the story"),
    Key("next_unread", "u", "next_unread", "Next unread",
        "Open the next unread story; past the last, the first unread of any feed"),
    Key("mark_view_read", "A", "mark_view_read", "Mark read",
        "Mark every story of this feed or view read (asks first)", False),
    Key("mark_all_read", "C", "mark_all_read", "All read",
        "Mark every story of every feed read (asks first)", False),
    Key("open_browser", "o", "open_browser", "Browse", "Open the original in the browser"),
    Key("add_url", "a", "add_url", "Add", "Add a feed or a page by its address"),
    Key("remove_feed", "delete", "remove_feed", "Remove feed",
        "Unsubscribe from the highlighted feed and delete its stories (asks first)", False),
    Key("rename_feed", "f2", "rename_feed", "Rename feed",
        "Give the highlighted feed a name of your own (empty: its own title)", False),
    Key("toggle_full_text", "F", "toggle_full_text", "Full text on/off",
        "Fetch the highlighted feed's stories in full from their pages, or not", False),
    Key("import_opml", "I", "import_opml", "Import OPML",
        "Subscribe to the feeds of an OPML file and fetch them", False),
    Key("export_opml", "O", "export_opml", "Export OPML",
        "Write every subscription to an OPML file", False),
    Key("refresh_report", "i", "refresh_report", "Report",
        "What the last refresh did, with the reason for each failed feed", False),
    Key("entity_index", "E", "entity_index", "All entities",
        "People, places and organisations across every story, with trends"),
    Key("merged_timeline", "T", "merged_timeline", "All dates",
        "Dated facts from every story, duplicates folded, with filters"),
    Key("story_map", "M", "story_map", "Map",
        "Map of the places the open story names (M on the index screens: the whole story)",
        False),
    Key("focus_entities", "e", "focus_entities", "Entities", "Go to the entities list",
        False),
    Key("focus_timeline", "t", "focus_timeline", "Timeline", "Go to the timeline", False),
    Key("filter_entity", "f", "filter_entity", "Filter",
        "Show only stories naming the selected entity", False),
    Key("toggle_pane", "p", "toggle_pane", "Side pane",
        "Show or hide the entities and timeline pane", False),
    Key("note", "n", "note", "Note",
        "Write a note on the story, or on the chosen passage; edit or delete notes"),
    Key("highlight", "h", "highlight", "Highlight",
        "Highlight the chosen passage (again to remove); first lets you choose one"),
    Key("select_passage", "v", "select_passage", "Select",
        "Choose a passage of the story: j/k by sentence, [ ] by paragraph, esc done", False),
    Key("tags", "l", "tags", "Tags", "Tag (label) the story; completes from your tags"),
    Key("filter_tag", "L", "filter_tag", "By tag", "Show the stories with a tag, or starred",
        False),
    Key("correct_entity", "c", "correct_entity", "Correct",
        "Remove, retype or merge the selected entity (or undo a fix)", False),
    Key("switch_layout", "w", "switch_layout", "Layout",
        "Switch between stories beside the story and a full-width story list", False),
    Key("save", "s", "save", "Save", "Save the story as Markdown, JSON or HTML"),
    Key("back", "escape", "back", "Back", "Leave search results or an entity filter", False),
    Key("help", "question_mark", "help", "Help", "Show every key"),
    Key("quit", "q", "quit", "Quit", "Quit warreader"),
)

# Keys bound in every list, table and scrollable view (and the app), for the help screen.
WIDGET_KEYS: tuple[tuple[str, str, str], ...] = (
    ("move_down", "j / down", "Next story, feed, row or line"),
    ("move_up", "k / up", "Previous story, feed, row or line"),
    ("first", "g / home", "First row (top of the story or page)"),
    ("last", "G / end", "Last row (end of the story or page)"),
    ("open", "enter", "Open the story, feed, entity or date"),
    ("page_down", "space / pgdn", "Page down"),
    ("page_up", "pgup", "Page up"),
    ("next_paragraph", "]", "Choose the next paragraph of the story (passage cursor)"),
    ("previous_paragraph", "[", "Choose the previous paragraph (passage cursor)"),
    ("leave_passage", "esc", "Leave the passage cursor"),
    ("", "tab / shift+tab", "Move between feeds, stories, story and side pane"),
    ("", "ctrl+p", "Command palette: every action by name"),
    ("quit_now", "ctrl+c", "Quit at once"),
)


# j/k/g/G in every list, table and scrollable view (option lists, tables, the help screen,
# dialogs). Screens bind them: a widget's own binding for the key comes first, and an Input
# keeps its letters, since it handles them before any binding is looked up. The main screen
# gets them from the app; modal screens, which do not see the app's bindings, bind them too.
MOVE_BINDINGS: list[BindingType] = [
    Binding("j", "go('down')", "Down", show=False, id="move_down"),
    Binding("k", "go('up')", "Up", show=False, id="move_up"),
    Binding("g", "go('first')", "First", show=False, id="first"),
    Binding("G", "go('last')", "Last", show=False, id="last"),
]

# The same keys bound by an option list itself, to its own cursor actions.
OPTION_LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="move_down"),
    Binding("k", "cursor_up", "Up", show=False, id="move_up"),
    Binding("g", "first", "First", show=False, id="first"),
    Binding("G", "last", "Last", show=False, id="last"),
]

# What each move does in the focused widget: the first action it has.
_MOVES = {
    "down": ("cursor_down", "scroll_down"),
    "up": ("cursor_up", "scroll_up"),
    "first": ("first", "scroll_top", "scroll_home"),
    "last": ("last", "scroll_bottom", "scroll_end"),
}


def go(focused: Widget | None, move: str) -> None:
    """Move the cursor of (or scroll) the focused widget: "down", "up", "first", "last"."""
    if focused is None:
        return
    for name in _MOVES[move]:
        action = getattr(focused, f"action_{name}", None)
        if action is not None:
            action()
            return


def screen_bindings() -> list[Binding]:
    return [Binding(k.keys, k.action, k.description, show=k.footer, id=k.id)
            for k in SCREEN_KEYS]


def keymap_from_config(keys: dict[str, str]) -> dict[str, str]:
    """The config's `[keys]` table as a Textual keymap (binding id -> keys)."""
    return {action: ",".join(part.strip() for part in value.split(",") if part.strip())
            for action, value in keys.items() if value.strip()}


def action_ids() -> set[str]:
    return {k.id for k in SCREEN_KEYS} | {key_id for key_id, _, _ in WIDGET_KEYS if key_id}


def keymap_problems(keymap: dict[str, str]) -> list[str]:
    """What is wrong with a remapping, in the reader's words: action ids that do not exist,
    and keys the main screen would then give to two actions (the first listed would win)."""
    problems = [f"[keys] {name!r} is not an action id; the help screen (?) lists them."
                for name in sorted(set(keymap) - action_ids())]
    owners: dict[str, list[str]] = {}
    for key in SCREEN_KEYS:
        for one in keymap.get(key.id, key.keys).split(","):
            if one.strip():
                owners.setdefault(one.strip(), []).append(key.id)
    for one, ids in owners.items():
        if len(ids) > 1:
            problems.append(f"[keys] {one!r} is bound to both {ids[0]} and {ids[1]}: "
                            f"give one of them another key.")
    return problems
