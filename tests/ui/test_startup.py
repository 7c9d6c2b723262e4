"""Start-up: the first screen's data read while Textual is imported (reader.ui.data.preload)."""

from __future__ import annotations

from pathlib import Path

from reader.store import Store
from reader.ui.app import WarReaderApp
from reader.ui.data import preload
from reader.ui.data.sources import PAGE
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.story_list import StoryList
from tests.ui.support import clock, settle


def test_first_screen_matches_the_store(store: Store) -> None:
    store.add_tag(store.stories(limit=1)[0].id, "frontline")
    first = preload.read(store)
    assert first.total == store.count_stories()
    assert first.feed_list.unread == store.count_stories(unread=True)
    assert [s.id for s in first.pages[0]] == [s.id for s in store.stories(limit=PAGE)]
    assert [f.id for f in first.feed_list.feeds] == [f.id for f in store.feeds()]
    assert first.feed_list.tags == [("frontline", 1)]


async def test_a_ready_first_screen_is_in_the_first_frame(store: Store) -> None:
    first = preload.read(store)
    assert first is not None
    app = WarReaderApp(store, now=clock, first_screen=first)
    async with app.run_test(size=(140, 40)):
        # No pause: the list was filled while the screen mounted, before any worker ran.
        stories = app.main.query_one(StoryList)
        assert stories.total == store.count_stories()
        assert stories.current is not None
        assert app.first_screen is None  # used once, then let go


def test_a_read_error_leaves_loading_to_the_app(tmp_path: Path) -> None:
    store = Store(tmp_path / "closed.sqlite3")
    store.close()
    assert preload.read(store) is None


async def test_a_failed_first_screen_falls_back_to_loading(store: Store) -> None:
    app = WarReaderApp(store, now=clock, first_screen=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.main.query_one(StoryList).total == store.count_stories()
        assert app.main.query_one(FeedList).option_count > 0
