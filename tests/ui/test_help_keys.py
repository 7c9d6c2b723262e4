"""The help screen lists the keys of every screen: opened for real, each screen's bindings
(its own and those of every widget on it) are compared with what the help screen shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Label

from reader.store import Store
from reader.ui.keys import WIDGET_KEYS
from reader.ui.screens.entity_detail import EntityDetailScreen
from reader.ui.screens.entity_index import EntityIndexScreen
from reader.ui.screens.help import OTHER_SCREENS, HelpScreen, key_names
from reader.ui.screens.main import MainScreen
from reader.ui.screens.map import DevelopingMapScreen, StoryMapScreen
from reader.ui.screens.merged_timeline import MergedTimelineScreen
from tests.ui.map_support import front_store
from tests.ui.support import make_app, settle
from tests.ui.test_map import open_story

GENERAL = "Lists, dialogs and the story"
GENERAL_IDS = {key_id for key_id, _, _ in WIDGET_KEYS if key_id}
TITLES = dict((name, title) for title, name in OTHER_SCREENS)


@pytest.fixture
def front(tmp_path: Path) -> Iterator[Store]:
    s = front_store(tmp_path / "front.sqlite3")
    yield s
    s.close()


def reader_bindings(node: DOMNode) -> Iterator[Binding]:
    """The bindings warreader's own classes give `node` (Textual's built-ins left out)."""
    for klass in type(node).__mro__:
        if klass.__module__.startswith("reader.") and "BINDINGS" in vars(klass):
            yield from Binding.make_bindings(vars(klass)["BINDINGS"])


def keys_on(screen: Screen[object]) -> set[tuple[str, str | None]]:
    """(key, binding id) of every key bound on `screen` and on each widget it shows."""
    found: set[tuple[str, str | None]] = set()
    for node in [screen, *screen.walk_children()]:
        for binding in reader_bindings(node):
            found |= {(key.strip(), binding.id) for key in binding.key.split(",")}
    return found


def help_sections(help_screen: HelpScreen) -> dict[str, set[str]]:
    """The keys the help screen shows, by section, as written on it."""
    sections: dict[str, set[str]] = {}
    section = ""
    for label in help_screen.query(Label):
        text = str(label.content)
        if label.has_class("help-section"):
            section = text
        elif label.has_class("help-keys"):
            sections.setdefault(section, set()).update(text.split(" / "))
    return sections


def missing(bound: set[tuple[str, str | None]], section: str,
            shown: dict[str, set[str]]) -> list[str]:
    """Keys bound on a screen that its help section does not show (the moves every list
    takes may be in the general section instead)."""
    out = []
    for key, key_id in sorted(bound, key=str):
        [name] = key_names(key)
        if name in shown.get(section, set()):
            continue
        if key_id in GENERAL_IDS:
            continue  # listed once for every list, in the general section
        out.append(f"{key} ({name})")
    return out


async def open_help(pilot, app) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    while not isinstance(app.screen, MainScreen):
        app.pop_screen()
        await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)
    assert isinstance(app.screen, HelpScreen)
    return help_sections(app.screen)


async def test_help_lists_every_key_of_both_map_screens(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_story(pilot, "Troops enter Kupiansk")
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, StoryMapScreen)
        story_map = keys_on(app.screen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, DevelopingMapScreen)
        developing = keys_on(app.screen)
        shown = await open_help(pilot, app)
    # The map's own widget keys are among them: pan, zoom, fit, step between places.
    assert {"plus", "minus", "0", "n", "h", "left", "enter"} <= {k for k, _ in story_map}
    assert {"full_stop", "comma", "space", "A"} <= {k for k, _ in developing}
    assert missing(story_map, TITLES["story_map"], shown) == []
    assert missing(developing, TITLES["developing_map"], shown) == []


async def test_help_lists_every_key_of_the_index_screens(front: Store) -> None:
    app = make_app(front, welcome=False)
    bound: dict[str, set[tuple[str, str | None]]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, EntityIndexScreen)
        bound["entity_index"] = keys_on(app.screen)
        await pilot.press("right", "enter")  # Places (the stories name only places), the first
        await settle(pilot)
        assert isinstance(app.screen, EntityDetailScreen)
        bound["entity_detail"] = keys_on(app.screen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, MergedTimelineScreen)
        bound["merged_timeline"] = keys_on(app.screen)
        shown = await open_help(pilot, app)
    assert {"h", "l", "T", "M"} <= {k for k, _ in bound["entity_index"]}
    for name, keys in bound.items():
        assert missing(keys, TITLES[name], shown) == [], name


def test_the_check_finds_a_key_left_off() -> None:
    shown = {TITLES["story_map"]: {"esc", "q"}, GENERAL: {"j / down"}}
    assert missing({("escape", None), ("q", None), ("plus", None), ("j", "move_down")},
                   TITLES["story_map"], shown) == ["plus (+)"]


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_descriptions_keep_clear_of_the_action_ids(store: Store, width: int) -> None:
    app = make_app(store)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        texts = list(app.screen.query(".help-text").results(Label))
        ids = list(app.screen.query(".help-id").results(Label))
        assert texts and len(texts) == len(ids)
        for text, key_id in zip(texts, ids, strict=True):
            # at least two blank cells between a wrapped description and its id
            assert text.content_region.right + 2 <= key_id.content_region.x
