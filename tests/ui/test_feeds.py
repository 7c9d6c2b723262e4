"""Feeds managed from the reader, and reading order: next unread, mark read (after a
confirm), Esc back to every story, rename, full text, remove (after a confirm), OPML out."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from reader.store import Store
from reader.ui.data.sources import StoreSource
from reader.ui.dialogs.feeds import ConfirmDialog, ExportOpmlDialog, RenameFeedDialog
from reader.ui.messages import FeedChosen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.story_list import StoryList
from tests.ui.support import make_app, press, settle


def highlight_feed(app, feed_id: int) -> None:  # type: ignore[no-untyped-def]
    feeds = app.main.query_one(FeedList)
    feeds.focus()
    feeds.highlighted = feeds.get_option_index(f"feed:{feed_id}")


async def test_next_unread_then_mark_everything_read(store: Store) -> None:
    store.set_read(store.stories(limit=10)[1].id)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.main.query_one(StoryList)
        await pilot.press("u")  # skips the read story at index 1
        await settle(pilot)
        assert stories.cursor == 2
        assert app.main.query_one(ArticleView).story_id == stories.current.id  # type: ignore[union-attr]
        await press(pilot, "C")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert store.count_stories(unread=True) == 4
        await press(pilot, "C")
        await press(pilot, "y")
        assert store.count_stories(unread=True) == 0
        await press(pilot, "u")
        assert "No unread stories left." in [str(n.message) for n in app._notifications]


async def test_mark_one_feed_read(store: Store) -> None:
    feed = store.feeds()[0]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.post_message(FeedChosen(feed.id, "feed", feed.title))
        await settle(pilot)
        await press(pilot, "A", "y")
        assert store.count_stories(feed_id=feed.id, unread=True) == 0
        assert store.count_stories(unread=True) == 3


async def test_escape_leaves_starred_and_feed_views(store: Store) -> None:
    store.set_starred(store.stories(limit=1)[0].id)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.post_message(FeedChosen(None, "starred", "Starred"))
        await settle(pilot)
        assert app.main.query_one(StoryList).total == 1
        await press(pilot, "escape")
        assert app.main.base_source == StoreSource(store)
        assert app.main.query_one(StoryList).total == 6


async def test_rename_switch_full_text_and_remove_a_feed(store: Store, tmp_path: Path) -> None:
    feed = store.feeds()[0]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        highlight_feed(app, feed.id)
        await press(pilot, "f2")
        assert isinstance(app.screen, RenameFeedDialog)
        await press(pilot, "ctrl+a", "ctrl+k", *"Front line", "enter")
        assert store.feed(feed.id).title == "Front line"  # type: ignore[union-attr]
        highlight_feed(app, feed.id)
        await press(pilot, "F")
        assert store.feed(feed.id).full_text is not feed.full_text  # type: ignore[union-attr]
        out = tmp_path / "subs.opml"
        await press(pilot, "O")
        await press(pilot, "ctrl+a", "ctrl+k", *str(out), "enter")
        assert "Front line" in out.read_text() and feed.url in out.read_text()
        highlight_feed(app, feed.id)
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert isinstance(app.screen, MainScreen)
        assert [f.id for f in store.feeds()] == [store.feeds()[0].id] != [feed.id]
        assert app.main.query_one(StoryList).total == 3


async def test_feed_actions_are_in_the_command_palette(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.main)]
        for title in ("Remove feed", "Rename feed", "Full text on/off", "Import OPML",
                      "Export OPML", "Next unread", "Mark read", "All read", "Layout"):
            assert title in titles


async def test_export_to_an_unwritable_place_says_why_in_the_dialog(store: Store,
                                                                    tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "O")
        assert isinstance(app.screen, ExportOpmlDialog)
        await press(pilot, "ctrl+a", "ctrl+k", *str(blocker / "subs.opml"), "enter")
        assert isinstance(app.screen, ExportOpmlDialog)  # stays open to choose another place
        error = str(app.screen.query_one("#opml-error", Static).render())
        assert error.startswith(f"Could not write {blocker / 'subs.opml'}: "), error
        assert blocker.read_text() == "not a folder"
