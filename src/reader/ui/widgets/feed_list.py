"""The feed list: All / Unread / Starred views, then each feed on one line with its unread
count (and a "!" when its last refresh failed, the reason shown while it is highlighted),
then the reader's tags."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Feed
from reader.text import clean_line
from reader.ui.keys import OPTION_LIST_BINDINGS
from reader.ui.messages import FeedChosen, TagChosen

VIEWS = (("all", "All stories"), ("unread", "Unread"), ("starred", "Starred"))


def feed_prompt(feed: Feed) -> Content:
    """One line: the unread count and the name; a feed whose last refresh failed is marked
    with "!" (the reason shows below the list when it is highlighted)."""
    count = Content.styled(f"{feed.unread:>5} ", "$text-muted" if not feed.unread else "bold")
    title = Content(clean_line(feed.title, 200) or clean_line(feed.url, 200))
    if feed.last_error:
        return Content.assemble(count, Content.styled("! ", "bold $text-error"), title)
    return Content.assemble(count, title)


class FeedList(OptionList):
    """Views and feeds; choosing one (Enter or click) posts `FeedChosen`."""

    BINDINGS: ClassVar[list[BindingType]] = OPTION_LIST_BINDINGS

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.feeds: list[Feed] = []
        self.tags: list[tuple[str, int]] = []  # (tag, stories carrying it)
        self._view_counts = (0, 0)

    def set_feeds(self, feeds: list[Feed], *, unread: int, starred: int,
                  tags: list[tuple[str, int]] | None = None) -> None:
        """Show `feeds` (and `tags`, when given), keeping the highlight on the same row."""
        keep = self.highlighted_option.id if self.highlighted_option else None
        self.feeds = feeds
        if tags is not None:
            self.tags = tags
        self._view_counts = (unread, starred)
        counts = {"all": sum(f.total for f in feeds), "unread": unread, "starred": starred}
        options: list[Option | None] = [
            Option(Content.assemble(Content.styled(f"{counts[view]:>5} ", "$text-muted"),
                                    Content.styled(label, "bold")), id=f"view:{view}")
            for view, label in VIEWS
        ]
        options.append(None)
        options += [Option(feed_prompt(f), id=f"feed:{f.id}") for f in feeds]
        if self.tags:
            options += [None, Option(Content.styled("Tags", "bold $text-accent"), disabled=True,
                                     id="tags")]
            options += [Option(Content.assemble(Content.styled(f"{n:>5} ", "$text-muted"),
                                                Content(f"#{tag}")), id=f"tag:{tag}")
                        for tag, n in self.tags]
        self.set_options(options)
        if keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
            except Exception:  # the feed was removed
                self.highlighted = 0

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        """Show the reader's tags, each with how many stories carry it, below the feeds."""
        if tags != self.tags:
            unread, starred = self._view_counts
            self.set_feeds(self.feeds, unread=unread, starred=starred, tags=tags)

    def feed_by_id(self, feed_id: int) -> Feed | None:
        return next((f for f in self.feeds if f.id == feed_id), None)

    @property
    def selected_feed(self) -> Feed | None:
        option = self.highlighted_option
        if option is None or not (option.id or "").startswith("feed:"):
            return None
        return self.feed_by_id(int((option.id or "")[5:]))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        feed = self.selected_feed
        if feed is not None and feed.last_error:
            self.border_subtitle = Content.styled(
                "! " + clean_line(feed.last_error, 300), "$text-error")
        else:
            self.border_subtitle = ""

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "view":
            label = dict(VIEWS)[value]
            self.post_message(FeedChosen(None, value, label))
        elif kind == "feed":
            feed = self.feed_by_id(int(value))
            if feed is not None:
                self.post_message(FeedChosen(feed.id, "feed", feed.title))
        elif kind == "tag":
            self.post_message(TagChosen(value))
