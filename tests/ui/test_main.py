"""Pilot tests of the main screen: every binding, against a real Store on tmp_path."""

from __future__ import annotations

from pathlib import Path

from reader.config import Config
from reader.store import Store
from reader.ui.dialogs.general import SearchDialog
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.side_pane import EntityList, TimelineList
from reader.ui.widgets.story_list import StoryList
from tests.ui.support import (
    HOSTILE,
    fill_store,
    hit_words,
    make_app,
    notices,
    open_story,
    press,
    screen_text,
    settle,
)


async def test_main_screen_lists_feeds_and_stories(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        stories = app.main.query_one(StoryList)
        assert stories.total == 6
        assert stories.current is not None and stories.current.title.startswith("Story 0-0")
        text = screen_text(app)
        assert "Feed 0" in text and "Feed 1" in text and "Story 1-2" in text
        assert "1h" in text  # relative time from the frozen clock
        assert "Stories" not in app.main.query_one(FeedList).feeds[0].title


async def test_hostile_titles_are_shown_literally(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_story(pilot)
        text = screen_text(app)
        assert "[bold red]pwn[/]" in text
        assert "\x1b" not in text and "2J" not in text
        assert HOSTILE.split(" ")[0] in text


async def test_move_and_open_marks_read_and_fills_side_pane(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "k")
        stories = app.main.query_one(StoryList)
        assert stories.cursor == 1
        story = stories.current
        assert story is not None and not story.read
        await press(pilot, "enter")
        article = app.main.query_one(ArticleView)
        assert article.story_id == story.id
        assert store.story(story.id).read  # type: ignore[union-attr]
        assert stories.current.read  # type: ignore[union-attr]
        entities = app.main.query_one(EntityList)
        assert [e.name for e in entities.entities][:1] == ["Olena Kovalenko"]
        assert next(f.date for f in app.main.query_one(TimelineList).facts) == "2025-03-03"
        assert "Unread" in screen_text(app)
        feeds = app.main.query_one(FeedList)
        assert str(feeds.get_option("view:unread").prompt).split()[0] == "5"


async def test_toggle_read_and_star_persist(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        story = app.main.query_one(StoryList).current
        assert story is not None
        await press(pilot, "m")
        assert store.story(story.id).read  # type: ignore[union-attr]
        await press(pilot, "m")
        assert not store.story(story.id).read  # type: ignore[union-attr]
        await press(pilot, "asterisk")
        assert store.story(story.id).starred  # type: ignore[union-attr]
        assert app.main.query_one(StoryList).current.starred  # type: ignore[union-attr]
        assert "★" in screen_text(app)


async def test_search_shows_results_and_escape_returns(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchDialog)
        await press(pilot, *"Story 1-1", "enter")
        stories = app.main.query_one(StoryList)
        assert "Search" in screen_text(app)
        assert stories.total >= 1
        assert stories.current is not None and stories.current.title == "Story 1-1"
        await press(pilot, "escape")
        assert stories.total == 6


async def test_entity_jump_filter_and_timeline(tmp_path: Path) -> None:
    store = fill_store(tmp_path / "c.sqlite3")
    bare = store.add_feed("http://127.0.0.1:9/other.xml", "Other")
    from reader.models import ParsedEntry
    store.store_entries(bare.id, [ParsedEntry("x", "Unrelated", None, None)], ["Nothing."])
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.main.query_one(StoryList).total == 7
        await press(pilot, "enter")
        await pilot.press("e")
        assert app.focused is app.main.query_one(EntityList)
        await pilot.press("enter")
        await pilot.pause()
        article = app.main.query_one(ArticleView)
        assert article._marked is not None and hit_words(article._marked) == ["Olena Kovalenko"]
        first = article._marked
        await pilot.press("enter")
        await pilot.pause()
        assert article._marked is not first  # the second mention is in another paragraph
        await press(pilot, "f")
        assert app.main.query_one(StoryList).total == 6
        assert "Naming Olena Kovalenko" in screen_text(app)
        await pilot.press("t")
        assert app.focused is app.main.query_one(TimelineList)
        await pilot.press("enter")
        await pilot.pause()
        assert article._marked is not None and "Repairs began" in (article._marked.source or "")
        assert hit_words(article._marked)[0].startswith("Repairs began")  # the fact's sentence
    store.close()


async def test_help_screen_lists_remapped_keys(store: Store) -> None:
    app = make_app(store, config=Config(keys={"refresh_all": "f5"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "f5" in text and "Refresh every feed" in text and "Full-text search" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_remapped_key_runs_action(store: Store) -> None:
    app = make_app(store, config=Config(keys={"search": "f2"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, MainScreen)  # the old key is gone
        await pilot.press("f2")
        assert isinstance(app.screen, SearchDialog)


async def test_command_palette_offers_every_action(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in ("Refresh", "Search", "Star", "Add", "Entities", "Timeline", "Filter",
                      "Help"):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Search")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert isinstance(app.screen, SearchDialog)


async def test_narrow_terminal_folds_side_pane(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.main.query_one("#side")
        assert not side.display
        await press(pilot, "enter")
        await pilot.press("e")
        await pilot.pause()
        assert side.display and app.focused is app.main.query_one(EntityList)
        await pilot.press("p")
        await pilot.pause()
        assert not side.display and app.focused is app.main.query_one(StoryList)


async def test_scroll_position_persists(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        first = app.main.query_one(StoryList).current
        await press(pilot, "enter")
        article = app.main.query_one(ArticleView)
        article.focus()
        await pilot.press("space", "space")
        await pilot.pause()
        assert article.scroll_y > 0
        app.main.query_one(StoryList).focus()
        await press(pilot, "j", "enter")
        assert first is not None and store.body(first.id).scroll > 0  # type: ignore[union-attr]


async def test_feed_choice_filters_and_tab_cycles(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")
        assert app.focused is app.main.query_one(FeedList)
        feeds = app.main.query_one(FeedList)
        feeds.highlighted = feeds.get_option_index(f"feed:{feeds.feeds[1].id}")
        await press(pilot, "enter")
        stories = app.main.query_one(StoryList)
        assert stories.total == 3 and app.focused is stories
        assert all(s.feed_title == "Feed 1" for _, s in stories.loaded_stories())
        await pilot.press("tab")
        assert app.focused is app.main.query_one(ArticleView)


async def test_large_store_loads_pages_lazily(tmp_path: Path) -> None:
    store = fill_store(tmp_path / "big.sqlite3", feeds=5, per_feed=300, analysed=False)
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        stories = app.main.query_one(StoryList)
        assert stories.total == 1500
        assert len(stories.loaded_stories()) <= 200
        await press(pilot, "G")
        assert stories.cursor == 1499
        assert stories.current is not None
        assert len(stories.loaded_stories()) <= 400
    store.close()


async def test_quit_saves_and_exits(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "q")
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running


async def test_unreadable_story_pages_say_what_to_do(tmp_path: Path) -> None:
    """Garbage in the middle of the cache: the rows it hides say why instead of staying
    placeholders for good (the first screen, read from intact pages, still shows)."""
    import datetime as dt
    import os
    import sqlite3

    import pytest

    from reader.models import ParsedEntry

    db = tmp_path / "damaged.sqlite3"
    with Store(db) as setup:
        feed = setup.add_feed("http://127.0.0.1:9/feed.xml", "Wire")
        start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        entries = [ParsedEntry(guid=str(i), title=f"Story {i}", url=None,
                               published=start + dt.timedelta(hours=i)) for i in range(300)]
        setup.store_entries(feed.id, entries, [f"Body of story {i}. " * 60 for i in range(300)])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:
        leaves = [p for (p,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'stories' AND pagetype = 'leaf'"
            " ORDER BY pageno")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the story pages")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as f:  # the oldest stories' pages, as a bad sector would leave them
        for page in leaves[:3]:
            f.seek((page - 1) * size)
            f.write(os.urandom(size))
    store = Store(db)
    try:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert "Story 299" in screen_text(app)
            app.main.query_one(StoryList).focus()
            await press(pilot, "G")
            await pilot.pause(0.3)
            said = notices(app)
            assert "warreader repair" in said, said
    finally:
        store.close()
