"""SVG snapshots of the map screens at 80x24 and 160x45, dark and light. Update with
`uv run pytest tests/ui/test_map_snapshots.py --snapshot-update` and look at every changed
SVG before accepting it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.store import Store
from reader.ui.app import WarReaderApp
from reader.ui.screens.main import MainScreen
from tests.ui.map_support import front_store
from tests.ui.support import clock, settle


@pytest.fixture
def front(tmp_path: Path) -> Iterator[Store]:
    s = front_store(tmp_path / "front.sqlite3")
    yield s
    s.close()


def app_for(store: Store, **config: object) -> WarReaderApp:
    return WarReaderApp(store, Config(**config), now=clock, welcome=False)  # type: ignore[arg-type]


async def story_map(pilot: Pilot) -> None:
    await settle(pilot)
    main = pilot.app.screen
    assert isinstance(main, MainScreen)
    while main.stories.current is None or main.stories.current.title != "Izium retaken":
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("M")
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def developing_map(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)
    await pilot.press("M")
    await settle(pilot)
    await pilot.press("greater_than_sign", "greater_than_sign")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_story_map(snap_compare, front: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(front), terminal_size=size, run_before=story_map)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_developing_map(snap_compare, front: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(front), terminal_size=size, run_before=developing_map)


def test_developing_map_light(snap_compare, front: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(front, theme="textual-light"), terminal_size=(80, 24),
                        run_before=developing_map)
