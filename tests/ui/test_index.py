"""Pilot tests of the entity index (E), entity detail and merged timeline (T) screens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Tabs

from reader.index.build import update_index
from reader.models import Entity, ParsedEntry, TimelineFact
from reader.store import Store
from reader.ui.dialogs.index import SourcesDialog, TimelineFilterDialog, TimelineFilters
from reader.ui.screens.entity_detail import EntityDetailScreen
from reader.ui.screens.entity_index import EntityIndexScreen, EntityTable
from reader.ui.screens.main import MainScreen
from reader.ui.screens.merged_timeline import MergedTimelineScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.index_lists import FactList
from tests.ui.support import BODY, NOW, fill_store, make_app, press, screen_text, settle

EVIL = "[bold red]Evil[/] [link=http://x]Corp[/]"
EVIL_FACT = "[bold red]pwn[/] struck the depot \x1b[2J today."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Two feeds of three stories (the same entities and facts, so facts fold across both
    outlets) and a third feed whose one story has a hostile entity name and fact."""
    s = fill_store(tmp_path / "cache.sqlite3", hostile=True)
    feed = s.add_feed("http://127.0.0.1:9/feed/h.xml", "Feed H")
    [sid] = s.store_entries(feed.id, [ParsedEntry(
        guid="h", title="Hostile story", url="http://127.0.0.1:9/h.html",
        published=NOW - dt.timedelta(hours=10))], [BODY], feed_title="Feed H")
    second = BODY.index("Kovalenko told")
    s.store_analysis(sid, [Entity(EVIL, "organization", (), ((0, 5),)),
                           Entity("Kharkiv", "place", (), ((10, 17),))],
                     [TimelineFact("2025-03-04", (second, second + 14), EVIL_FACT, (EVIL,))])
    update_index(s)
    yield s
    s.close()


def rows(screen: EntityIndexScreen) -> list[tuple[str, int]]:
    return [(e.name, e.stories) for e in screen.items]


async def open_index(pilot, key: str = "E"):  # type: ignore[no-untyped-def]
    await settle(pilot)
    await press(pilot, key)
    return pilot.app.screen


async def test_e_opens_the_index_by_kind(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_index(pilot)
        assert isinstance(screen, EntityIndexScreen)
        assert rows(screen) == [("Olena Kovalenko", 6)]
        text = screen_text(app)
        assert "Olena Kovalenko" in text and "Last 30 days" in text
        assert "▁" in text or "█" in text  # the trend sparkline
        await press(pilot, "right")
        assert screen.kind == "place" and rows(screen) == [("Kharkiv", 7)]
        await press(pilot, "l")
        assert screen.kind == "organization"
        assert set(rows(screen)) == {(EVIL, 1), ("United Nations", 6)}
        assert screen.query_one(Tabs).active == "kind-organization"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_filter_entities_by_name(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_index(pilot)
        await pilot.press("right", "right", "right")  # All
        await settle(pilot)
        assert len(screen.items) == 4
        await press(pilot, "slash", *"kova")
        assert rows(screen) == [("Olena Kovalenko", 6)]
        await press(pilot, "backspace", "backspace", "backspace", "backspace", *"zzz")
        assert screen.items == [] and "No entity of this kind matches" in screen_text(app)
        await pilot.press("escape")  # clears the filter first
        await settle(pilot)
        assert len(screen.items) == 4 and not screen.query_one(Input).display
        assert isinstance(app.screen, EntityIndexScreen)


async def test_enter_shows_detail_and_opens_a_story(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_index(pilot)
        await pilot.press("right", "enter")  # Places, then Kharkiv
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, EntityDetailScreen) and detail.detail is not None
        assert detail.detail.entity.name == "Kharkiv" and len(detail.detail.stories) == 7
        related = {e.name: n for e, n in detail.detail.related}
        assert related == {"Olena Kovalenko": 6, "United Nations": 6, EVIL: 1}
        text = screen_text(app)
        assert "Seen with" in text and "Olena Kovalenko" in text and "2 outlets" in text
        assert "[bold red]Evil[/]" in text  # a hostile name is shown as it is written
        newest = detail.detail.stories[0]
        await pilot.press("j", "enter")  # the second newest story
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.query_one(ArticleView).story_id == detail.detail.stories[1].id
        assert newest.id != detail.detail.stories[1].id


async def test_related_entity_and_its_timeline(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_index(pilot)
        await pilot.press("enter")  # Olena Kovalenko
        await settle(pilot)
        await pilot.press("tab", "enter")  # Seen with: the first related entity
        await settle(pilot)
        assert isinstance(app.screen, EntityDetailScreen)
        assert app.screen.detail is not None and app.screen.detail.entity.name != (
            "Olena Kovalenko")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("T")  # this entity's facts on the merged timeline
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MergedTimelineScreen)
        assert [m.sentence for m in screen.facts] == ["Kovalenko visited on 5 March."]
        assert "naming Olena Kovalenko" in screen_text(app)


async def test_t_folds_facts_and_counts_outlets(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_index(pilot, "T")
        assert isinstance(screen, MergedTimelineScreen)
        assert [(m.date, m.outlets, len(m.sources)) for m in screen.facts] == [
            ("2025-03-03", 2, 6), ("2025-03-04", 1, 1), ("2025-03-05", 2, 6),
            ("2025-03-10", 2, 6)]
        text = screen_text(app)
        assert "2 outlets" in text and "Feed 1, Feed 0" in text  # earliest report first
        assert "[bold red]pwn[/] struck the depot" in text and "\x1b" not in text
        assert "19 reports folded into 4 events" in text
        await press(pilot, "o")
        assert screen.facts[0].date == "2025-03-10"
        await pilot.press("enter")  # the list read again: Enter still means this entry
        await pilot.pause()
        assert isinstance(app.screen, SourcesDialog) and app.screen.fact is screen.facts[0]


async def test_t_filters_by_entity_feed_and_dates(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_index(pilot, "T")
        assert isinstance(screen, MergedTimelineScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, TimelineFilterDialog)
        await press(pilot, *"kharkiv", "enter")
        assert [m.sentence for m in screen.facts] == [
            "Shelling hit Kharkiv, the governor said on Monday."]
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#filter-entity", Input).value = ""
        await press(pilot, "tab", "tab", *"2025-03-04", "tab", *"2025-03-05", "enter")
        assert [m.date for m in screen.facts] == ["2025-03-04", "2025-03-05"]
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("tab", "tab", *"03/04", "enter")  # not a date: stays open
        await pilot.pause()
        assert isinstance(app.screen, TimelineFilterDialog)
        assert "is not a date" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        feeds = [f.title for f in store.feeds()]
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the feed list opens on "Any feed"
        await pilot.pause()
        await pilot.press(*["down"] * (feeds.index("Feed H") + 1), "enter")
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot)
        # The dialog starts from the filters in force: the dates stay, the feed is added.
        assert screen.filters == TimelineFilters(
            feed_id=next(f.id for f in store.feeds() if f.title == "Feed H"),
            since="2025-03-04", until="2025-03-05")
        assert [m.date for m in screen.facts] == ["2025-03-04"]
        assert "from Feed H" in screen_text(app)
        await press(pilot, "c")
        assert len(screen.facts) == 4
        await pilot.press("f")
        await pilot.pause()
        await press(pilot, *"Nobody", "enter")
        assert screen.facts == [] and "No entity is called Nobody" in screen_text(app)


async def test_enter_on_a_fact_opens_the_story_at_the_sentence(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    marks: list[tuple[int | None, int, bool]] = []
    real = ArticleView.mark

    def spy(self: ArticleView, offset: int, *args: object, **kwargs: object) -> bool:
        found = real(self, offset, *args, **kwargs)  # type: ignore[arg-type]
        marks.append((self.story_id, offset, found))
        return found

    monkeypatch.setattr(ArticleView, "mark", spy)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_index(pilot, "T")
        assert isinstance(screen, MergedTimelineScreen)
        hostile = screen.facts[1].sources[0]
        await pilot.press("j", "enter")  # one source: straight to the story
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
        assert app.main.query_one(ArticleView).story_id == hostile.story_id
        assert (hostile.story_id, hostile.span[0], True) in marks
        marks.clear()
        await press(pilot, "T")
        screen = app.screen
        assert isinstance(screen, MergedTimelineScreen)
        first = screen.facts[0]
        await pilot.press("enter")  # six sources: choose one
        await pilot.pause()
        assert isinstance(app.screen, SourcesDialog)
        assert "Reported by 2 outlets" in screen_text(app)
        await press(pilot, "j", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
        chosen = first.sources[1]
        assert app.main.query_one(ArticleView).story_id == chosen.story_id
        assert (chosen.story_id, chosen.span[0], True) in marks


async def test_detail_fact_opens_the_story(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_index(pilot)
        await pilot.press("right", "right", "enter")  # Organisations: the first row
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, EntityDetailScreen) and detail.detail is not None
        if detail.detail.entity.name != EVIL:
            await press(pilot, "escape", "j", "enter")
            detail = app.screen
        assert isinstance(detail, EntityDetailScreen) and detail.detail is not None
        assert detail.detail.entity.name == EVIL
        assert "[bold red]Evil[/] [link=http://x]Corp[/]" in screen_text(app)
        detail.query_one(FactList).focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert app.main.query_one(ArticleView).story_id == detail.detail.stories[0].id


async def test_a_correction_updates_the_index_when_e_opens(store: Store) -> None:
    story = store.stories(limit=1)[0]
    store.remove_entity(story.id, "Olena Kovalenko")
    store.retype_entity(story.id, "United Nations", "person")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_index(pilot)
        assert isinstance(screen, EntityIndexScreen)
        assert rows(screen) == [("Olena Kovalenko", 5)]
        kinds = {e.name: e.kind for e in screen.items}
        assert kinds == {"Olena Kovalenko": "person"}  # one vote of six does not retype it


async def test_new_stories_are_indexed_when_the_screen_opens(tmp_path: Path) -> None:
    s = fill_store(tmp_path / "fresh.sqlite3")  # analysed but never indexed
    try:
        app = make_app(s)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_index(pilot)
            assert isinstance(screen, EntityIndexScreen)
            await settle(pilot)
            assert rows(screen) == [("Olena Kovalenko", 6)]
            assert "Last 14 days" in screen_text(app)  # a narrow terminal: a shorter trend
            table = screen.query_one(EntityTable)
            assert table.virtual_size.width <= table.size.width
    finally:
        s.close()


async def test_long_lists_load_page_by_page(tmp_path: Path) -> None:
    from reader.ui.screens import entity_index, merged_timeline

    s = Store(tmp_path / "long.sqlite3")
    try:
        feed = s.add_feed("http://127.0.0.1:9/feed/l.xml", "Feed L")
        [sid] = s.store_entries(feed.id, [ParsedEntry(
            guid="l", title="Long story", url="http://127.0.0.1:9/l.html",
            published=NOW)], [BODY], feed_title="Feed L")
        start = dt.date(2024, 1, 1)
        s.store_analysis(
            sid, [Entity(f"Town{i:03d}", "place", (), ((i, i + 1),)) for i in range(250)],
            [TimelineFact((start + dt.timedelta(days=i)).isoformat(), (0, 5),
                          f"Event number {i} happened.", ()) for i in range(250)])
        update_index(s)
        app = make_app(s)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_index(pilot)
            assert isinstance(screen, EntityIndexScreen)
            await press(pilot, "right")
            assert len(screen.items) == entity_index.PAGE and screen.more
            for _ in range(3):
                await press(pilot, "G")
            assert len(screen.items) == 250 and not screen.more
            assert len({e.key for e in screen.items}) == 250
            assert screen.query_one(EntityTable).row_count == 250
            await press(pilot, "escape", "T")
            timeline = app.screen
            assert isinstance(timeline, MergedTimelineScreen)
            assert len(timeline.facts) == merged_timeline.PAGE
            for _ in range(3):
                await press(pilot, "G")
            assert len(timeline.facts) == 250 and timeline.after is None
            assert [m.sentence for m in timeline.facts][-1] == "Event number 249 happened."
    finally:
        s.close()
