"""Pilot tests of refresh, cancel, the add dialog and the welcome screen, against a real
HTTP server on 127.0.0.1 and the real refresh pipeline."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler

import pytest
from textual.pilot import Pilot

from reader.store import Store
from reader.ui.dialogs.general import AddUrlDialog, RefreshReport
from reader.ui.screens.main import MainScreen
from reader.ui.screens.welcome import WelcomeScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.story_list import StoryList
from tests.conftest import LocalServer
from tests.ui.support import (
    NOW,
    make_app,
    notices,
    press,
    refresh,
    screen_text,
    settle,
    wait_refresh,
)


def rss(title: str, items: list[int]) -> str:
    """An RSS feed whose item n was published n hours after a fixed start."""
    start = NOW - dt.timedelta(days=2)
    body = "".join(
        f"<item><title>{title} item {n}</title><guid>{title}-{n}</guid>"
        f"<link>http://127.0.0.1:9/{n}.html</link>"
        f"<pubDate>{(start + dt.timedelta(hours=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        f"</pubDate><description>Text of item {n}.</description></item>"
        for n in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1:9/</link>{body}</channel></rss>")


@pytest.fixture
def store(empty_store: Store) -> Store:
    """Refresh tests start from an empty cache and fill it from the local server."""
    return empty_store


async def test_refresh_adds_stories_and_keeps_the_reader_in_place(
        local_server: LocalServer, store: Store) -> None:
    local_server.routes["/a.xml"] = rss("Alpha", list(range(1, 41)))
    store.add_feed(local_server.url("/a.xml"), "Alpha", full_text=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        stories = app.main.query_one(StoryList)
        assert stories.total == 40
        await press(pilot, "j", "enter")
        reading = stories.current
        article = app.main.query_one(ArticleView)
        body = article.body
        assert reading is not None and reading.title == "Alpha item 39"
        row = stories.cursor * stories.row_height - stories.scroll_offset.y
        local_server.routes["/a.xml"] = rss("Alpha", list(range(1, 46)))
        await pilot.press("r")
        await pilot.pause()
        assert app.main.has_class("-refreshing")
        await wait_refresh(pilot)
        assert stories.total == 45
        assert stories.current is not None and stories.current.id == reading.id
        assert stories.cursor == 6
        assert stories.cursor * stories.row_height - stories.scroll_offset.y == row
        assert article.body is body  # the open story was not re-rendered
        assert "new stories" in notices(app)


async def test_failed_refresh_is_reported_in_words(local_server: LocalServer,
                                                    store: Store) -> None:
    local_server.routes["/good.xml"] = rss("Good", [1])
    store.add_feed(local_server.url("/good.xml"), "Good", full_text=False)
    store.add_feed(local_server.url("/missing.xml"), "Missing", full_text=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        # One line, not a modal: the full report is on a key.
        assert isinstance(app.screen, MainScreen)
        messages = [str(n.message) for n in app._notifications]
        assert "1 new story; 1 feed failed (i shows why)." in messages
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, RefreshReport)
        text = screen_text(app)
        assert "1 of 2 feeds could not be refreshed" in text
        assert "Missing" in text and "404" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        feeds = app.main.query_one(FeedList)
        missing = next(f for f in feeds.feeds if f.title == "Missing")
        assert missing.last_error
        assert "! Missing" in screen_text(app)  # one line, with the error mark
        feeds.highlighted = feeds.get_option_index(f"feed:{missing.id}")
        await pilot.pause()
        assert "404" in str(feeds.border_subtitle)  # the reason, while it is highlighted


async def test_offline_refresh_changes_nothing(store: Store) -> None:
    store.add_feed("http://127.0.0.1:9/feed.xml", "Unreachable", full_text=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, RefreshReport)
        assert "are you offline" in screen_text(app)
        assert store.count_stories() == 0


async def test_refresh_can_be_cancelled(local_server: LocalServer, store: Store) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(3)
        return 200, {"Content-Type": "application/xml"}, rss("Slow", [1]).encode()

    local_server.routes["/slow.xml"] = slow
    store.add_feed(local_server.url("/slow.xml"), "Slow", full_text=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause(0.3)
        started = time.monotonic()
        await pilot.press("x")
        await wait_refresh(pilot)
        assert time.monotonic() - started < 2.5
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, RefreshReport)
        assert "cancelled" in screen_text(app)
        assert app.main.last_summary is not None and app.main.last_summary.cancelled


async def test_keys_answer_during_refresh(local_server: LocalServer, store: Store) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, {"Content-Type": "application/xml"}, rss("S", [1]).encode()

    local_server.routes["/a.xml"] = rss("Alpha", [1, 2, 3])
    store.add_feed(local_server.url("/a.xml"), "Alpha", full_text=False)
    for n in range(5):
        local_server.routes[f"/s{n}.xml"] = slow
        store.add_feed(local_server.url(f"/s{n}.xml"), f"S{n}", full_text=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        await pilot.press("escape")
        await pilot.press("r")
        await pilot.pause(0.2)
        stories = app.main.query_one(StoryList)
        before = stories.cursor
        started = time.monotonic()
        await pilot.press("j")
        assert stories.cursor == before + 1
        assert time.monotonic() - started < 0.5
        assert app.main.cancel_event is not None  # still refreshing
        await wait_refresh(pilot)


async def test_add_dialog_validates_and_subscribes(local_server: LocalServer,
                                                   store: Store) -> None:
    store.add_feed("http://127.0.0.1:9/existing.xml", "Existing", full_text=False)
    local_server.routes["/new.xml"] = rss("Newsroom", [1, 2])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddUrlDialog)
        await press(pilot, *"ftp://nope", "enter")
        assert "http:// or https://" in screen_text(app)
        dialog = app.screen
        dialog.query_one("Input").value = local_server.url("/new.xml")  # type: ignore[attr-defined]
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert store.feed_by_url(local_server.url("/new.xml")) is not None
        titles = [f.title for f in app.main.query_one(FeedList).feeds]
        assert "Newsroom" in titles


async def test_add_dialog_shows_fetch_errors(local_server: LocalServer, store: Store) -> None:
    store.add_feed("http://127.0.0.1:9/existing.xml", "Existing", full_text=False)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        app.screen.query_one("Input").value = local_server.url("/gone.xml")  # type: ignore[attr-defined]
        await press(pilot, "enter")
        assert isinstance(app.screen, AddUrlDialog)
        assert "404" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_welcome_screen_on_first_run(local_server: LocalServer, store: Store) -> None:
    local_server.routes["/w.xml"] = rss("Welcomed", [1])
    app = make_app(store)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        text = screen_text(app)
        assert "sample stories" in text and "Kyiv Independent" in text
        await pilot.press("j", "j", "enter")  # "Add a feed or page address"
        await settle(pilot)
        assert isinstance(app.screen, AddUrlDialog)
        app.screen.query_one("Input").value = local_server.url("/w.xml")  # type: ignore[attr-defined]
        await press(pilot, "enter")
        await wait_refresh(pilot)
        assert isinstance(app.screen, MainScreen)
        assert store.count_stories() == 1
        assert app.main.query_one(StoryList).total == 1


async def test_welcome_subscribes_to_ticked_suggestions(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        from textual.widgets import SelectionList

        app.screen.query_one(SelectionList).select_all()
        await pilot.press("j", "enter")  # "Subscribe to the feeds ticked below"
        await settle(pilot)
        app.main.action_cancel_refresh()  # no network here: do not wait for timeouts
        await wait_refresh(pilot)
        from reader.ui.data.suggested import SUGGESTED_FEEDS

        assert len(store.feeds()) == len(SUGGESTED_FEEDS)


async def test_sample_stories_load_through_the_pipeline(store: Store) -> None:
    pytest.importorskip("reader.sample")
    from reader import sample

    if not hasattr(sample, "serve_sample"):
        pytest.skip("the bundled sample stories are not there yet")
    app = make_app(store, sample=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await wait_refresh(pilot, timeout=60)
        if isinstance(app.screen, RefreshReport):
            await pilot.press("escape")
        assert store.count_stories() > 0
        assert app.main.query_one(StoryList).total == store.count_stories()


@asynccontextmanager
async def extracting_a_heavy_page(server: LocalServer, store: Store) -> AsyncIterator[Pilot]:
    """The app refreshing a feed whose one page takes minutes to extract, from the moment
    that page is in an extraction worker."""
    import os

    from tests.hostile import LINUX, heavy_page, pool_workers

    server.routes["/heavy.xml"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Heavy</title><item>'
        f"<title>Table</title><link>{server.base}/heavy.html</link><guid>t</guid>"
        "<description>Feed text.</description></item></channel></rss>")
    server.routes["/heavy.html"] = heavy_page(200_000)  # minutes of extraction
    store.add_feed(server.url("/heavy.xml"), "Heavy")
    async with make_app(store).run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        end = time.monotonic() + 20
        while server.hits.get("/heavy.html", 0) == 0 and time.monotonic() < end:
            await pilot.pause(0.05)
        while LINUX and not pool_workers(os.getpid()) and time.monotonic() < end:
            await pilot.pause(0.05)
        await pilot.pause(0.5)  # the page is in a worker now
        yield pilot


async def test_cancel_does_not_wait_for_a_heavy_page(local_server: LocalServer,
                                                     store: Store) -> None:
    async with extracting_a_heavy_page(local_server, store) as pilot:
        started = time.monotonic()
        await pilot.press("x")
        await wait_refresh(pilot)
        assert time.monotonic() - started < 2
        summary = pilot.app.main.last_summary  # type: ignore[attr-defined]
        assert summary is not None and summary.cancelled


async def test_quit_does_not_wait_for_a_heavy_page(local_server: LocalServer,
                                                   store: Store) -> None:
    import os

    from tests.hostile import LINUX, alive, pool_workers

    async with extracting_a_heavy_page(local_server, store) as pilot:
        app = pilot.app
        workers = pool_workers(os.getpid())
        started = time.monotonic()
        await pilot.press("q")
        while app.is_running and time.monotonic() - started < 5:
            await pilot.pause(0.05)
    assert not app.is_running
    while any(alive(p) for p in workers) and time.monotonic() - started < 5:
        time.sleep(0.05)
    assert time.monotonic() - started < 3
    if LINUX:
        assert workers and not any(alive(p) for p in workers)


async def test_refresh_streams_feeds_and_stories_in(local_server: LocalServer,
                                                   store: Store) -> None:
    """Subscribed feeds show at once (by address while untitled); a fast feed's stories show
    while a slow one is still fetching; the story being read stays where it is."""
    def slow(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(4)
        return 200, {"Content-Type": "application/xml"}, rss("Slow", [1]).encode()

    local_server.routes["/fast.xml"] = rss("Fast", [1, 2, 3])
    local_server.routes["/slow/feed.xml"] = slow
    store.add_feed(local_server.url("/fast.xml"), full_text=False)
    store.add_feed(local_server.url("/slow/feed.xml"), full_text=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause(0.3)
        host = local_server.url("/").split("//", 1)[1].rstrip("/")
        assert f"{host}/slow/feed.xml" in screen_text(app)  # named by its address
        stories = app.main.query_one(StoryList)
        end = time.monotonic() + 3
        while stories.total < 3 and time.monotonic() < end:
            await pilot.pause(0.1)
        assert app.main.cancel_event is not None, "the slow feed should still be fetching"
        assert stories.total == 3 and "Fast item 3" in screen_text(app)
        await pilot.press("j", "enter")
        await pilot.pause(0.3)
        reading = app.main.query_one(ArticleView).story_id
        await wait_refresh(pilot)
        assert stories.total == 4
        assert app.main.query_one(ArticleView).story_id == reading
        assert stories.current is not None and stories.current.id == reading
