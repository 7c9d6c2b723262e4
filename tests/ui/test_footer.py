"""The footer shows only the keys that fit, and chooses again when the terminal's width
changes (not at every resize event: the first one, at start, changes nothing)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widgets._footer import FooterKey

from reader.store import Store
from reader.ui.widgets.footer import PALETTE_ROOM, ReaderFooter, key_width
from tests.ui.support import make_app, settle


def shown_keys(footer: ReaderFooter) -> list[FooterKey]:
    return [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]


async def test_footer_keys_fit_the_width_and_follow_a_resize(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(ReaderFooter)
        wide = shown_keys(footer)
        assert sum(map(key_width, wide)) <= 160 - PALETTE_ROOM
        first = wide[0]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrow = shown_keys(footer)
        assert len(narrow) < len(wide)
        assert sum(map(key_width, narrow)) <= 80 - PALETTE_ROOM
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        again = shown_keys(footer)
        assert [k.key for k in again] == [k.key for k in wide]
        assert first not in again  # made anew for the new width


async def test_a_resize_that_keeps_the_width_does_not_recompose(store: Store,
                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At start the footer is composed for the app's width before it has a size of its
    own; the resize that gives it that size must not compose it again."""
    calls: list[int] = []
    compose = ReaderFooter.compose

    def counted(self: ReaderFooter) -> ComposeResult:
        calls.append(self.size.width)
        return compose(self)

    monkeypatch.setattr(ReaderFooter, "compose", counted)
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(ReaderFooter)
        before = len(calls)
        footer.post_message(events.Resize(Size(160, 1), Size(160, 1)))
        await settle(pilot)
        assert len(calls) == before
        footer.post_message(events.Resize(Size(100, 1), Size(100, 1)))
        await settle(pilot)
        assert len(calls) == before + 1
