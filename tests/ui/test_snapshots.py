"""SVG snapshots of the main screens (pytest-textual-snapshot), with a frozen clock and no
cursor blink (conftest.py). Update with
`uv run pytest tests/ui/test_snapshots.py --snapshot-update` and look at every changed SVG
before accepting it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import Config
from reader.models import FeedResult, RefreshSummary
from reader.store import Store
from reader.ui.app import WarReaderApp
from reader.ui.dialogs.general import RefreshReport
from tests.ui.support import make_app, open_story, press, settle


def app_for(store: Store, **config: object) -> WarReaderApp:
    return make_app(store, config=Config(**config))  # type: ignore[arg-type]


def after(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """What to do before the snapshot: let the app start, then press `keys` and settle."""
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, *keys)
    return run_before


async def reading(pilot: Pilot) -> None:
    """The second story open (the first stays unread), no notifications."""
    await open_story(pilot, "Story 0-1")
    pilot.app.clear_notifications()
    await pilot.pause()


SIZES = [(80, 24), (120, 40), (160, 45), (240, 60)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, store: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(store), terminal_size=size, run_before=reading)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_list_layout(snap_compare, store: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app_for(store, layout="list"), terminal_size=size,
                        run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_list_layout_reading(snap_compare, store: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(store, layout="list"), terminal_size=size,
                        run_before=reading)


def test_main_screen_light_theme(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(store, theme="textual-light"), terminal_size=(140, 40),
                        run_before=reading)


def test_welcome_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store(tmp_path / "empty.sqlite3") as empty:
        assert snap_compare(app_for(empty), terminal_size=(100, 34), run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, store: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app_for(store), terminal_size=size, run_before=run_before)


# Named by what they do: "a" and "A" would share a file name on a case-blind file system.
DIALOGS = {"add": "a", "save": "s", "search": "slash", "browse": "o", "note": "n",
           "tags": "l", "mark_read": "A"}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key", list(DIALOGS.values()), ids=list(DIALOGS))
def test_dialogs(snap_compare, store: Store, key: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await reading(pilot)
        await pilot.press(key)
        await pilot.pause()

    # A fixed save folder: the default one lies under the test's temporary home.
    assert snap_compare(app_for(store, save_dir="/srv/news/saved"), terminal_size=size,
                        run_before=run_before)


def test_search_results(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(store), terminal_size=(120, 34),
                        run_before=after("slash", *"Story 1", "enter"))


def test_error_state(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    feed = store.feeds()[1]
    store.record_failure(feed.id, "Could not connect to 127.0.0.1: connection refused.")

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        summary = RefreshSummary((
            FeedResult(feed.id, feed.url, feed.title, "failed",
                       error="Could not connect to 127.0.0.1: connection refused."),
            FeedResult(1, "http://127.0.0.1:9/feed/0.xml", "Feed 0", "unchanged"),
        ))
        pilot.app.push_screen(RefreshReport(summary))
        await pilot.pause()

    assert snap_compare(app_for(store), terminal_size=(120, 34), run_before=run_before)


def test_entity_index_screen(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(store), terminal_size=(120, 34), run_before=after("E"))


def test_merged_timeline_screen(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(store), terminal_size=(120, 34), run_before=after("T"))
