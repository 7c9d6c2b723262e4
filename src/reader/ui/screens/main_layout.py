"""The main screen's two layouts and their column widths.

"columns": feeds and stories on the left, the story in the middle, the side pane on the
right. "list" (newsboat's way): feeds beside a full-width story list (date, feed, whole
title); Enter puts the story and its pane in the list's place, Esc brings the list back.
`w` switches between them and the choice is remembered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import Widget

from reader.ui.layout import (
    LAYOUTS,
    NARROW,
    columns,
    feeds_width,
    narrow_pane_width,
    reading_columns,
)
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.side_pane import EntityList, TimelineList
from reader.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from reader.ui.app import WarReaderApp


class LayoutScreen(Screen[None]):
    """Column widths and layout switching of the main screen."""

    if TYPE_CHECKING:
        @property
        def reader_app(self) -> WarReaderApp: ...

    layout_name = "columns"

    @property
    def reading(self) -> bool:
        """In the list layout, the story is shown in the list's place."""
        return self.layout_name == "list" and self.has_class("-reading")

    @property
    def pane_shown(self) -> bool:
        # `p` folds the pane away on a wide terminal and brings it out on a narrow one.
        return self.has_class("-pane") == (self.size.width < NARROW)

    def on_resize(self) -> None:
        self.apply_layout()

    def apply_layout(self) -> None:
        width = self.size.width
        if not width:
            return
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        self.set_class(self.layout_name == "list", "-list")
        left, article, side = (self.query_one(id_, Widget)
                               for id_ in ("#left", "#article", "#side"))
        stories = self.query_one(StoryList)
        if self.layout_name == "list" and not self.reading:
            sizes = (width, 0, 0)
            self.query_one("#feeds", Widget).styles.width = feeds_width(width)
        elif self.reading:
            sizes = reading_columns(width, side=self.pane_shown)
        elif narrow and self.pane_shown:
            pane = narrow_pane_width(width)
            sizes = (0, width - pane, pane)
        else:
            sizes = columns(width, side=self.pane_shown)
            self.query_one("#feeds", Widget).styles.width = "1fr"
        for widget, size in zip((left, article, side), sizes, strict=True):
            widget.display = size > 0
            if size:
                widget.styles.width = size
        stories.table = self.layout_name == "list"
        # The story in the list's place: say how to get the list back (the footer has no
        # room for Esc on a narrow terminal).
        article.border_title = "Story · esc: back to the list" if self.reading else "Story"
        focused = self.focused
        if focused is not None and not all(w.display for w in focused.ancestors_with_self
                                           if isinstance(w, Widget)):
            if self.reading or not left.display:
                self.query_one(ArticleView).focus()
            else:
                stories.focus()

    def set_layout(self, name: str, *, remember: bool = True) -> None:
        self.layout_name = name if name in LAYOUTS else "columns"
        self.remove_class("-reading")
        self.apply_layout()
        if remember:
            self.reader_app.remember(layout=self.layout_name)

    def action_switch_layout(self) -> None:
        name = "list" if self.layout_name == "columns" else "columns"
        self.set_layout(name)
        self.query_one(StoryList).focus()
        words = {"list": "Full-width story list: Enter reads, Esc comes back.",
                 "columns": "Stories beside the story being read."}
        self.notify(words[self.layout_name], timeout=3)

    def start_reading(self) -> None:
        """The list layout's Enter: the story and its pane take the list's place."""
        if self.layout_name == "list" and not self.reading:
            self.add_class("-reading")
            self.apply_layout()
            self.query_one(ArticleView).focus()

    def stop_reading(self) -> bool:
        """Back from the story to the full-width list; False when not reading."""
        if not self.reading:
            return False
        self.remove_class("-reading")
        self.apply_layout()
        self.query_one(StoryList).focus()
        return True

    def action_toggle_pane(self) -> None:
        self.toggle_class("-pane")
        self.apply_layout()
        if not self.pane_shown and self.focused in (self.query_one(EntityList),
                                                     self.query_one(TimelineList)):
            self.query_one(StoryList).focus()

    def show_pane(self) -> None:
        if not self.pane_shown:
            self.toggle_class("-pane")
            self.apply_layout()
