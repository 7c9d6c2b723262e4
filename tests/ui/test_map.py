"""The map screens (M) through the real app: markers, keys, time steps, Enter, the mouse, and
that the map code stays out of start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.store import Store
from reader.ui.dialogs.index import TimelineFilters
from reader.ui.screens.main import MainScreen
from reader.ui.screens.map import DevelopingMapScreen, PlaceStoriesDialog, StoryMapScreen
from reader.ui.widgets.map_view import MapView
from reader.ui.widgets.side_pane import EntityList
from tests.ui.map_support import developing_map, front_store, map_view
from tests.ui.support import make_app, notices, open_story, press, screen_text, settle


async def test_story_map_markers_and_enter_jumps_to_mentions(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_story(pilot, "Troops enter Kupiansk")
        await press(pilot, "M")
        screen = app.screen
        assert isinstance(screen, StoryMapScreen)
        view = map_view(pilot)
        names = {m.name: m for m in view.markers}
        assert set(names) == {"Kupiansk", "Izium", "Kharkiv region"}
        assert names["Kupiansk"].weight == 3 and names["Izium"].weight == 1
        assert names["Kharkiv region"].kind == "region"
        text = screen_text(app)
        assert "Not placed (1): Nowhereivka" in text
        assert "Kupiansk" in text and "town · 3 mentions" in text
        # The heaviest is selected first; n moves on, and a region's outline is drawn.
        assert view.selected == "Kupiansk"
        while view.selected != "Izium":
            await pilot.press("n")
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert "Izium: mention 1 of 1" in notices(app)


async def test_the_first_place_selected_is_one_on_the_map(tmp_path: Path) -> None:
    """A country named most often stands at its centre, off the map fitted to the towns: the
    heaviest place in view is selected, so the map shows what the line under it names."""
    store = front_store(tmp_path / "russia.sqlite3", [
        (0, 0, "Talks in Moscow", ["Russia"] * 5 + ["Kupiansk", "Kupiansk", "Izium"])])
    try:
        async with make_app(store, welcome=False).run_test(size=(100, 30)) as pilot:
            await open_story(pilot, "Talks in Moscow")
            # no place chosen in the side pane (as when a person heads it)
            pilot.app.screen.query_one(EntityList).highlighted = None
            await press(pilot, "M")
            view = map_view(pilot)
            assert view.markers[0].name == "Russia"  # the heaviest, off the map
            assert "Russia" not in {d.marker.key for d in view.grid().drawn}
            assert view.selected == "Kupiansk"
            assert "Kupiansk" in screen_text(pilot.app)  # type: ignore[arg-type]
    finally:
        store.close()


async def test_story_map_highlights_the_side_pane_place(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_story(pilot, "Izium retaken")
        pane = app.screen.query_one(EntityList)
        index = next(i for i, o in enumerate(pane.options) if o.id and
                     pane.entities[int(o.id[7:])].name == "Balakliia")
        pane.highlighted = index
        await press(pilot, "M")
        view = map_view(pilot)
        assert view.selected == "Balakliia"
        drawn = {d.marker.key: d for d in view.grid().drawn}
        row = view.grid().rows[drawn["Balakliia"].row]
        assert row[drawn["Balakliia"].col][1] == "selected"
        assert any(t == "label-selected" for _, t in row)
        # Moscow is far from the rest: out of the fitted view, counted, and back with a.
        assert "Moscow" not in drawn
        assert "1 outside this view (a shows all)" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert "Moscow" in {d.marker.key for d in view.grid().drawn}


async def test_zoom_pan_reset_and_click(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await developing_map(pilot)
        fitted = view.view
        assert fitted is not None
        await pilot.press("plus")
        assert view.view is not None and view.view.scale == pytest.approx(fitted.scale / 2)
        await pilot.press("right", "down")
        assert view.view.lon > fitted.lon and view.view.lat < fitted.lat
        await pilot.press("minus", "minus")
        assert view.view.scale == pytest.approx(fitted.scale * 2)
        await pilot.press("0")
        assert view.view == fitted
        # A click near a marker selects it.
        target = next(d for d in view.grid().drawn if d.marker.key != view.selected)
        await pilot.click(MapView, offset=(target.col, target.row))
        await pilot.pause()
        assert view.selected == target.marker.key


async def test_developing_map_steps_through_time(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await developing_map(pilot)
        screen = app.screen
        assert isinstance(screen, DevelopingMapScreen)
        by = {m.name: m for m in view.markers}
        assert by["Kupiansk"].weight == 3  # stories, not mentions
        assert "6 Sep 2022 – 18 Sep 2022" in screen_text(app) and "(all dates)" in \
            screen_text(app)
        assert "Nowhereivka" in screen_text(app)

        await press(pilot, "full_stop")  # one day: the first
        assert {m.name for m in view.markers} == {"Balakliia", "Kharkiv", "Kyiv"}
        assert "6 Sep 2022  (one day)" in screen_text(app)
        await press(pilot, "full_stop", "full_stop")  # 8 Sep
        assert "8 Sep 2022  (one day)" in screen_text(app)
        assert {m.name for m in view.markers} >= {"Kupiansk", "Izium"}
        await press(pilot, "greater_than_sign")  # a week from 8 Sep
        assert "8 Sep 2022 – 14 Sep 2022  (one week)" in screen_text(app)
        await press(pilot, "greater_than_sign")
        assert "15 Sep 2022 – 21 Sep 2022" in screen_text(app)
        assert {m.name for m in view.markers} == {"Lyman", "Sloviansk", "Kramatorsk",
                                                   "Svatove", "Kupiansk", "Luhansk region"}
        # Places first reported in the window are marked new.
        keys = {m.name: m.key for m in view.markers}
        assert keys["Lyman"] in view.recent and keys["Kupiansk"] not in view.recent
        await press(pilot, "A")
        assert "(all dates)" in screen_text(app)

        await pilot.press("space")  # play: a week at a time
        assert screen._timer is not None
        first = screen.window
        await pilot.pause(2.5)
        assert first is not None and screen.window is not None and screen.window[0] > first[0]
        # It stops by itself at the last reported day, and space pauses it.
        assert screen._timer is None and screen.data is not None
        assert screen.window[1] >= (screen.data.last_day or 0)
        await pilot.press("A", "space")
        assert screen._timer is not None
        await pilot.press("space")
        assert screen._timer is None


async def test_developing_map_enter_lists_stories_and_opens_one(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await developing_map(pilot)
        while view.selected != next(m.key for m in view.markers if m.name == "Svatove"):
            await pilot.press("n")
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, PlaceStoriesDialog)
        assert [s.title for s in dialog.stories] == ["Lyman encircled",
                                                     "Fighting along the Oskil"]
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        body = app.screen.article.body
        assert body is not None and body.story.title == "Lyman encircled"


async def test_timeline_filters_carry_to_the_map(front: Store) -> None:
    app = make_app(front, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "T")
        app.screen.filters = TimelineFilters(entity="Lyman")  # type: ignore[attr-defined]
        await press(pilot, "M")
        view = map_view(pilot)
        assert {m.name for m in view.markers} == {"Lyman", "Sloviansk", "Kramatorsk",
                                                   "Svatove"}
        assert "about: Lyman" in screen_text(app)


async def test_map_without_a_story_or_places(front: Store, empty_store: Store) -> None:
    app = make_app(empty_store, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "M")  # no story open: a word, no screen
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "E")
        await press(pilot, "M")
        assert "No indexed story names a place" in screen_text(app)
        await press(pilot, "full_stop", "space", "enter", "n", "plus", "0")
        await press(pilot, "escape")


def test_map_code_is_not_imported_at_start_up() -> None:
    code = ("import sys, reader.cli, reader.ui.app; "
            "print(sorted(m for m in sys.modules if m.startswith('reader.geo') "
            "or m.endswith('map_view') or m.endswith('screens.map')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


async def test_place_names_are_never_markup(tmp_path: Path) -> None:
    from reader.models import Entity, ParsedEntry

    store = Store(tmp_path / "hostile.sqlite3")
    try:
        feed = store.add_feed("http://127.0.0.1:9/h.xml", "Hostile").id
        body = "Kupiansk and [bold red]Pwnd[/] and \x1b[2JNowhere."
        [story_id] = store.store_entries(feed, [ParsedEntry(
            guid="h", title="[red]Title[/]", url="http://127.0.0.1:9/h",
            published=None)], [body])
        store.store_analysis(story_id, [Entity("Kupiansk", "place", (), ((0, 8),)),
                                        Entity("[bold red]Pwnd[/]", "place", (), ((13, 31),)),
                                        Entity("\x1b[2JNowhere", "place", (), ((36, 47),))],
                             [])
        app = make_app(store, welcome=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_story(pilot, "[red]Title[/]")
            await press(pilot, "M")
            text = screen_text(app)
            assert "Where: [red]Title[/]" in text
            assert "Not placed (2): [bold red]Pwnd[/], Nowhere" in text
            assert "\x1b" not in text
    finally:
        store.close()
