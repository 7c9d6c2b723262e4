"""A worker that fails says so in the TUI: one error path (ReaderScreen) for every screen."""

from __future__ import annotations

from pathlib import Path

from reader.errors import StoreError
from reader.store import Store
from reader.ui.data.failures import failure_text
from reader.ui.data.sources import PAGE
from reader.ui.widgets.article import ArticleView
from tests.ui.support import fill_store, make_app, screen_text, settle


def damage(store: Store) -> None:
    """Overwrite the cache file's header, as a disk fault or another program would: every
    connection opened from now on finds no SQLite database there."""
    store.db.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(store.db.path, "r+b") as file:
        file.write(b"this is no database")


async def test_a_damaged_cache_while_a_story_opens_is_reported(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        damage(store)
        await pilot.press("enter")  # the story is read in a new worker thread: a new connection
        await settle(pilot)
        assert app.main.query_one(ArticleView).story_id is None
        shown = [n.message for n in app._notifications]
        assert any("damaged or not a warreader database" in m for m in shown), shown
        assert "is damaged or not a warreader" in screen_text(app)  # the toast on screen
        await pilot.press("j")  # the reader keeps running
        await settle(pilot)
        assert app.main.stories.cursor == 1


def test_failure_text_shows_the_cores_errors_as_they_are() -> None:
    assert failure_text("opening the story", StoreError("The disk is full.")) == \
        "The disk is full."


def test_failure_text_names_the_work_for_other_errors() -> None:
    assert failure_text("saving the note", KeyError("7")) == \
        "Something went wrong while saving the note: '7'."
    assert failure_text("tagging the story", RuntimeError()) == \
        "Something went wrong while tagging the story: RuntimeError."
    assert failure_text("searching", ValueError("bad \x1b[2J query!")) == \
        "Something went wrong while searching: bad query!"


async def test_a_page_of_the_story_list_that_cannot_be_read_is_reported(tmp_path: Path) -> None:
    store = fill_store(tmp_path / "long.sqlite3", feeds=1, per_feed=PAGE + 20, analysed=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        damage(store)
        await pilot.press("G")  # the last story: its page is read by the list's own worker
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        assert any("damaged or not a warreader database" in m for m in shown), shown
        assert app.is_running
    store.close()
