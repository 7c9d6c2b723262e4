"""The story's timeline pane shows dates in words, never a TimeML code."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.models import TimelineFact
from reader.ui.widgets.side_pane import TimelineList


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TimelineList(id="timeline")


async def test_pane_shows_words_and_leaves_vague_references_out() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(TimelineList)
        pane.show([
            TimelineFact("2022-W37", (0, 9), "Shelling went on all week.", ()),
            TimelineFact("PAST_REF", (0, 8), "The bridge was hit recently.", ()),
            TimelineFact("2022-WI", (0, 6), "The grid failed in the winter.", ()),
            TimelineFact("2022-09-10", (0, 8), "Troops entered the town on Saturday.", (),
                         relative=True),
            TimelineFact("2022-09-10", (30, 38), "Troops entered the town on Saturday.", (),
                         relative=True),
        ])
        await pilot.pause()
        text = "\n".join(str(option.prompt) for option in pane.options)
        assert "week of 12 Sep 2022" in text and "winter 2022" in text
        assert "2022-09-10" in text
        for code in ("W37", "-WI", "_REF", "recently"):
            assert code not in text
        # one sentence with two expressions of one date is listed once
        assert [f.date for f in pane.facts] == ["2022-09-10", "2022-W37", "2022-WI"]
