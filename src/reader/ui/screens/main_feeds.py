"""The main screen's feed and reading-order actions: next unread story, mark a view or
everything read (after a confirm), rename a feed, switch its full-text fetch, remove it
(after a confirm), import and export subscriptions, and the last refresh's report.

Every store call runs in a thread worker, which posts what it found back as a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.message import Message

from reader.models import Feed, RefreshSummary, Story
from reader.text import clean_line, counted
from reader.ui.data.preload import FeedListData, read_feed_list
from reader.ui.data.sources import StoreSource
from reader.ui.messages import StoryOpened
from reader.ui.screens.base import ReaderScreen
from reader.ui.widgets.feed_list import FeedList

if TYPE_CHECKING:
    from reader.ui.data.sources import StorySource
    from reader.ui.widgets.story_list import StoryList


def refresh_line(summary: RefreshSummary) -> str:
    """A refresh in one line: new stories and failures ("12 new stories; 2 feeds failed")."""
    parts = [counted(summary.new, "new story", "new stories")]
    if summary.failed:
        parts.append(f"{counted(len(summary.failed), 'feed')} failed")
    if summary.cancelled:
        parts.append("cancelled")
    line = "; ".join(parts)
    return line + (" (i shows why)" if summary.failed or summary.cancelled else "") + "."


class FeedActionsScreen(ReaderScreen[None]):
    """Feed and reading-order actions of the main screen (which supplies the members below)."""

    # What the workers found, posted back to the screen.

    class UnreadFound(Message):
        def __init__(self, story: Story | None) -> None:
            super().__init__()
            self.story = story  # the newest unread story of any feed

    class UnreadCounted(Message):
        def __init__(self, label: str, filters: dict[str, object], unread: int) -> None:
            super().__init__()
            self.label = label
            self.filters = filters  # the store's filters for the view
            self.unread = unread

    class MarkedRead(Message):
        def __init__(self, marked: int, feed_list: FeedListData) -> None:
            super().__init__()
            self.marked = marked
            self.feed_list = feed_list

    class FeedChanged(Message):
        def __init__(self, change: Literal["remove", "rename", "full_text"], feed_id: int,
                     done: str) -> None:
            super().__init__()
            self.change = change
            self.feed_id = feed_id
            self.done = done  # what to tell the reader

    if TYPE_CHECKING:
        source: StorySource | None
        base_source: StoreSource | None
        last_summary: RefreshSummary | None

        @property
        def stories(self) -> StoryList: ...

        def reload(self, source: StorySource, *, keep: bool = False) -> None: ...

        def _counts(self, feed_list: FeedListData) -> None: ...

        def start_refresh(self, feed_ids: list[int] | None, *, sample: bool = False) -> None:
            ...

    # Reading order ---------------------------------------------------------------------

    def action_next_unread(self) -> None:
        """The next unread story below the cursor; past the last one, the first unread of
        any feed (the Unread view)."""
        stories = self.stories
        for index, story in sorted(stories.loaded_stories()):
            if index > stories.cursor and not story.read:
                stories.cursor = index
                stories.post_message(StoryOpened(story))
                return
        self._first_unread()

    @work(thread=True, exclusive=True, group="next-unread", exit_on_error=False,
          description="finding the next unread story")
    def _first_unread(self) -> None:
        found = self.reader_app.store.stories(unread=True, limit=1)
        self.post_message(self.UnreadFound(found[0] if found else None))

    @on(UnreadFound)
    def _go_unread(self, event: UnreadFound) -> None:
        story = event.story
        if story is None:
            self.notify("No unread stories left.", timeout=3)
            return
        self.base_source = StoreSource(self.reader_app.store, label="Unread", unread=True,
                                       empty_text="Nothing here.")
        self.reload(self.base_source)
        self.stories.focus()
        self.post_message(StoryOpened(story))

    def _view_filters(self) -> tuple[str, dict[str, object]] | None:
        """What "this view" is for mark-read: a label and the store filters, or None when the
        list is not a view of the store (search results, a tag)."""
        source = self.source
        if not isinstance(source, StoreSource):
            return None
        return clean_line(source.label, 60), {"feed_id": source.feed_id,
                                              "starred": source.starred,
                                              "entity": source.entity}

    def action_mark_view_read(self) -> None:
        view = self._view_filters()
        if view is None:
            self.notify("Mark read works on a feed or a view (All, Unread, Starred).",
                        severity="warning")
            return
        self._ask_mark_read(*view)

    def action_mark_all_read(self) -> None:
        self._ask_mark_read("every feed", {})

    @work(thread=True, exclusive=True, group="mark-read", exit_on_error=False,
          description="counting unread stories")
    def _ask_mark_read(self, label: str, filters: dict[str, object]) -> None:
        unread = self.reader_app.store.count_stories(unread=True, **filters)  # type: ignore[arg-type]
        self.post_message(self.UnreadCounted(label, filters, unread))

    @on(UnreadCounted)
    def _confirm_mark_read(self, event: UnreadCounted) -> None:
        from reader.ui.dialogs.feeds import ConfirmDialog

        label, filters, unread = event.label, event.filters, event.unread
        if not unread:
            self.notify(f"Nothing unread in {label}.", timeout=3, markup=False)
            return

        def chosen(answer: str | None) -> None:
            if answer:
                self._mark_read(filters)

        self.app.push_screen(ConfirmDialog(
            f"Mark {counted(unread, 'unread story', 'unread stories')} in {label} read?",
            "They stay in the cache; m marks a story unread again.", yes="Mark read"), chosen)

    @work(thread=True, exclusive=True, group="mark-read", exit_on_error=False,
          description="marking stories read")
    def _mark_read(self, filters: dict[str, object]) -> None:
        store = self.reader_app.store
        marked = store.mark_all_read(**filters)  # type: ignore[arg-type]
        self.post_message(self.MarkedRead(marked, read_feed_list(store)))

    @on(MarkedRead)
    def _marked(self, event: MarkedRead) -> None:
        self._counts(event.feed_list)
        self.reload(self.source or StoreSource(self.reader_app.store), keep=True)
        self.notify(f"Marked {counted(event.marked, 'story', 'stories')} read.", timeout=3)

    # Feeds -----------------------------------------------------------------------------

    def target_feed(self) -> Feed | None:
        """The feed highlighted in the feed list, else the highlighted story's feed."""
        feeds = self.query_one(FeedList)
        feed = feeds.selected_feed
        if feed is None and self.stories.current is not None:
            feed = feeds.feed_by_id(self.stories.current.feed_id)
        if feed is None:
            self.notify("Highlight a feed in the feed list (or one of its stories) first.",
                        severity="warning")
        return feed

    def action_remove_feed(self) -> None:
        from reader.ui.dialogs.feeds import ConfirmDialog

        feed = self.target_feed()
        if feed is None:
            return

        def chosen(answer: str | None) -> None:
            if answer:
                self._feed_change(feed.id, "remove", None,
                                  f"Removed {clean_line(feed.title, 60)}.")

        self.app.push_screen(ConfirmDialog(
            f"Remove {clean_line(feed.title, 60)}?",
            f"Unsubscribes and deletes its {counted(feed.total, 'story', 'stories')} "
            "with their notes and highlights.", yes="Remove"), chosen)

    def action_rename_feed(self) -> None:
        from reader.ui.dialogs.feeds import RenameFeedDialog

        feed = self.target_feed()
        if feed is None:
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self._feed_change(feed.id, "rename", name,
                                  f"Renamed to {clean_line(name, 60)}." if name
                                  else "The feed's own title is back.")

        self.app.push_screen(RenameFeedDialog(feed.title), chosen)

    def action_toggle_full_text(self) -> None:
        feed = self.target_feed()
        if feed is None:
            return
        word = ("New stories of {} come as the feed gives them." if feed.full_text
                else "New stories of {} are fetched in full from their pages.")
        self._feed_change(feed.id, "full_text", not feed.full_text,
                          word.format(clean_line(feed.title, 60)))

    @work(thread=True, exclusive=True, group="feed-change", exit_on_error=False,
          description="changing the feed")
    def _feed_change(self, feed_id: int, change: Literal["remove", "rename", "full_text"],
                     value: object, done: str) -> None:
        store = self.reader_app.store
        if change == "remove":
            store.remove_feed(feed_id)
        elif change == "rename":
            store.rename_feed(feed_id, str(value))
        else:
            store.set_full_text(feed_id, bool(value))
        self.post_message(self.FeedChanged(change, feed_id, done))

    @on(FeedChanged)
    def _feed_changed(self, event: FeedChanged) -> None:
        if event.change == "remove" and isinstance(self.base_source, StoreSource) \
                and self.base_source.feed_id == event.feed_id:
            self.base_source = StoreSource(self.reader_app.store)
            self.source = self.base_source
        self.reload(self.source or StoreSource(self.reader_app.store), keep=True)
        self.notify(event.done, timeout=4, markup=False)

    def action_import_opml(self) -> None:
        from reader.ui.dialogs.general import ImportOpmlDialog

        def chosen(message: str | None) -> None:
            if message:
                self.notify(message + " Refreshing them now.", markup=False)
                self.start_refresh(None)

        self.app.push_screen(ImportOpmlDialog(), chosen)

    def action_export_opml(self) -> None:
        from pathlib import Path

        from reader.ui.dialogs.feeds import ExportOpmlDialog

        def chosen(message: str | None) -> None:
            if message:
                self.notify(message, markup=False)

        self.app.push_screen(ExportOpmlDialog(Path("~/warreader-subscriptions.opml")),
                             chosen)

    def action_refresh_report(self) -> None:
        from reader.ui.dialogs.general import RefreshReport

        if self.last_summary is None:
            self.notify("No refresh has finished since the reader started.", timeout=3)
            return
        self.app.push_screen(RefreshReport(self.last_summary))
