"""Column widths that follow the terminal, the two layouts, and keys that behave alike in
every list and scrollable view."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll

from reader.config import Config
from reader.paths import default_paths
from reader.store import Store
from reader.ui.data.sources import StoreSource
from reader.ui.keys import keymap_problems
from reader.ui.layout import MEASURE, columns
from reader.ui.screens.help import HelpScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.side_pane import TimelineList
from reader.ui.widgets.story_list import TITLE_ROOM, StoryList, feed_column, wrap_two
from tests.ui.support import make_app, screen_text, settle


@pytest.mark.parametrize("width", [80, 100, 120, 160, 200, 240, 400])
def test_columns_follow_the_terminal(width: int) -> None:
    side = width >= 120
    left, article, pane = columns(width, side=side)
    assert left + article + pane == width
    assert article <= MEASURE
    assert left >= 30 and (pane >= 30 if side else pane == 0)


def test_a_wider_terminal_gives_the_list_more_room_not_the_story() -> None:
    assert columns(240, side=True).article == MEASURE
    assert columns(240, side=True).left > columns(160, side=True).left > 36


def test_the_feed_column_gives_way_to_headlines_on_a_narrow_list() -> None:
    assert feed_column(160, 20) == 20  # wide: the whole feed name
    assert feed_column(160, 60) == 28  # a long name is cut, not the title
    assert feed_column(58, 20) == 0  # 80 columns: the headline takes the row
    for width in range(40, 300):
        taken = feed_column(width, 24)
        assert taken == 0 or width - 3 - 12 - 2 - taken - 2 >= TITLE_ROOM
    assert feed_column(160, 0) == 0  # a list of one feed does not repeat it on each row


async def test_list_of_one_feed_leaves_the_feed_out_of_its_rows(store: Store) -> None:
    app = make_app(store, config=Config(layout="list"))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        rows = app.main.query_one(StoryList)
        assert "Feed 0" in "".join(s.text for s in rows.render_line(0))  # each row names it
        feed = store.feed_by_url("http://127.0.0.1:9/feed/0.xml")
        assert feed is not None
        rows.set_source(StoreSource(store, label="Feed 0", feed_id=feed.id), 3, {})
        await settle(pilot)
        line = "".join(s.text for s in rows.render_line(0))
        assert "Story 0-0" in line and "Feed 0" not in line


def test_titles_wrap_on_two_lines_between_words() -> None:
    assert wrap_two("Ukraine retakes Lyman a day after the ceremony", 20) == (
        "Ukraine retakes", "Lyman a day after t…")
    assert wrap_two("short", 20) == ("short", "")


def test_keymap_problems_name_unknown_ids_and_conflicts() -> None:
    problems = keymap_problems({"star": "s", "refersh_all": "f5"})
    assert any("'refersh_all' is not an action id" in p for p in problems)
    assert any("'s' is bound to both" in p and "star" in p and "save" in p for p in problems)
    assert keymap_problems({"refresh_all": "f5"}) == []


async def test_a_bad_keymap_is_a_notification_not_a_crash(store: Store) -> None:
    app = make_app(store, config=Config(keys={"star": "s", "nope": "z"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("'nope' is not an action id" in m for m in messages)
        assert any("bound to both" in m for m in messages)


async def test_dates_are_never_cut_and_the_story_is_capped(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(240, 60)) as pilot:
        await settle(pilot)
        assert app.main.query_one(ArticleView).outer_size.width == MEASURE
        assert app.main.query_one(StoryList).outer_size.width > 80
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(pilot.app)  # type: ignore[arg-type]
        assert "Feed 0 · 1h" in text


async def test_a_title_on_one_line_has_its_feed_and_date_right_under_it(store: Store) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.main.query_one(StoryList).row_height == 3  # type: ignore[attr-defined]
        lines = screen_text(pilot.app).splitlines()  # type: ignore[arg-type]
        at = next(i for i, line in enumerate(lines) if "Story 0-2" in line)
        assert "Feed 0 · 3h" in lines[at + 1]
        assert "Story 1-0" not in lines[at + 2]  # the spare line parts the stories


async def test_a_story_given_the_whole_width_keeps_to_the_measure(store: Store) -> None:
    app = make_app(store, config=Config(layout="list"))
    async with app.run_test(size=(240, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        article = app.main.query_one(ArticleView)
        side = app.main.query_one("#side")
        assert article.outer_size.width + side.outer_size.width == 240
        parts = list(article.children)
        assert parts and all(part.outer_size.width <= MEASURE - 4 for part in parts)
        # centred in the box
        left = parts[0].region.x - article.content_region.x
        right = article.content_region.right - parts[0].region.right
        assert abs(left - right) <= 2


async def test_list_layout_reads_in_place_and_is_remembered(store: Store,
                                                              tmp_path: Path) -> None:
    paths = default_paths(tmp_path / "home")
    app = make_app(store, paths=paths)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        main = app.main
        assert main.layout_name == "list" and main.query_one(StoryList).table
        assert not main.query_one(ArticleView).display
        await pilot.press("j", "enter")
        await settle(pilot)
        assert main.query_one(ArticleView).display and not main.query_one("#left").display
        assert app.focused is main.query_one(ArticleView)
        assert "esc: back to the list" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert main.query_one("#left").display and app.focused is main.query_one(StoryList)
        assert main.query_one(ArticleView).border_title == "Story"
    again = make_app(store, paths=paths)
    async with again.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert again.main.layout_name == "list"


async def test_help_screen_and_side_pane_take_vim_keys(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t", "G")
        timeline = app.main.query_one(TimelineList)
        assert timeline.highlighted == len(timeline.options) - 1
        await pilot.press("g")
        assert timeline.highlighted == 0
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one("#help-keys", VerticalScroll)
        await pilot.press("j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0


async def test_ctrl_c_quits_at_once(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


async def test_j_moves_in_the_save_format_list(store: Store, tmp_path: Path) -> None:
    app = make_app(store, config=Config(save_dir=str(tmp_path / "saved")))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("j", "j", "j", "enter")  # "All three"
        await settle(pilot)
        saved = sorted(p.suffix for p in (tmp_path / "saved").iterdir())
        assert saved == [".html", ".json", ".md"]
