"""SVG snapshots of the map screens at 80x24 and 160x45, dark and light. Update with
`uv run pytest tests/ui/test_map_snapshots.py --snapshot-update` and look at every changed
SVG before accepting it."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.store import Store
from reader.ui.app import WarReaderApp
from tests.ui.map_support import developing_map
from tests.ui.support import make_app, open_story, press


def app_for(store: Store, **config: object) -> WarReaderApp:
    return make_app(store, config=Config(**config), welcome=False)  # type: ignore[arg-type]


async def story_map(pilot: Pilot) -> None:
    await open_story(pilot, "Izium retaken")
    await press(pilot, "M")
    pilot.app.clear_notifications()
    await pilot.pause()


async def a_week_of_the_developing_map(pilot: Pilot) -> None:
    await developing_map(pilot)
    await press(pilot, "greater_than_sign", "greater_than_sign")


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_story_map(snap_compare, front: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(front), terminal_size=size, run_before=story_map)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_developing_map(snap_compare, front: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(front), terminal_size=size, run_before=a_week_of_the_developing_map)


def test_developing_map_light(snap_compare, front: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(front, theme="textual-light"), terminal_size=(80, 24),
                        run_before=a_week_of_the_developing_map)
