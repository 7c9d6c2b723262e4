"""A virtual list of stories: only the visible rows are rendered, pages are fetched on demand.

Two shapes: beside the story (`table=False`), each story is its title (on two lines when the
list is narrow) over its feed and date; as a full-width list (`table=True`, newsboat's way),
each story is one line of date, feed and whole title. The date is never cut.

The list knows how many stories its source holds and keeps the pages it has fetched. A row
whose page is missing shows a placeholder and asks a thread worker for that page, so a
list of 10,000 stories costs one COUNT and one page at startup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from reader.models import Story
from reader.text import clean_line
from reader.ui.data.failures import failure_text
from reader.ui.data.sources import PAGE, StorySource
from reader.ui.data.timefmt import Clock, relative, utc_now
from reader.ui.messages import Notice, StoryOpened

TWO_LINE_TITLES = 60  # a list narrower than this shows titles on two lines
DATE_WIDTH = 12  # "Sep 10, 2022"


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, ending in an ellipsis when it was cut.

    Cleaned again here: a cache written by an older warreader may hold bidi overrides or
    zero-width characters, which would misalign the rows."""
    if width <= 0:
        return ""
    text = clean_line(text, 10_000)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def wrap_two(text: str, width: int) -> tuple[str, str]:
    """`text` on at most two lines of `width` cells, broken between words where it can,
    the second line ending in an ellipsis when the text is longer still."""
    if width <= 0:
        return "", ""
    if cell_len(text) <= width:
        return text, ""
    head = set_cell_size(text, width)
    space = head.rfind(" ")
    if space > width // 3:
        head = head[:space]
    return head, fit(text[len(head):].lstrip(), width)


TITLE_ROOM = 40  # cells a one-line row keeps for its title before the feed column shrinks


def feed_column(width: int, longest: int) -> int:
    """Cells for the feed name in the one-line rows (0: no column, as for a list of one feed,
    which names it in its title bar).

    The column takes the longest name held, within limits, and gives way to the title on a
    narrow terminal, where the headline is what the reader came for.
    """
    spare = width - 3 - DATE_WIDTH - 2 - 2 - TITLE_ROOM
    if longest == 0 or spare < 8:  # fewer cells could not tell one feed from another
        return 0
    return max(8, min(longest, 28, width // 5, spare))


class _PageLoaded(Message):
    def __init__(self, generation: int, page: int, stories: list[Story]) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.stories = stories


class StoryList(ScrollView, can_focus=True):
    """Stories from a `StorySource`: title over feed and age, or one line each as a table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="move_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="move_up"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "open", "Open", id="open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-list--cursor", "story-list--unread", "story-list--read", "story-list--meta",
        "story-list--star", "story-list--empty",
    }
    DEFAULT_CSS = """
    StoryList { height: 1fr; overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, now: Clock = utc_now, id: str | None = None) -> None:
        super().__init__(id=id)
        self.now = now
        self.source: StorySource | None = None
        self.total = 0
        self._pages: dict[int, list[Story]] = {}
        self._pending: set[int] = set()
        self._generation = 0
        self._table = False
        self._feed_cells: int | None = None  # the longest feed name held, in cells

    @property
    def table(self) -> bool:
        """One line a story (date, feed, title) instead of title over feed and date."""
        return self._table

    @table.setter
    def table(self, value: bool) -> None:
        if value != self._table:
            self._keep_cursor_row(lambda: setattr(self, "_table", value))

    @property
    def row_height(self) -> int:
        if self._table:
            return 1
        return 3 if self.scrollable_content_region.width < TWO_LINE_TITLES else 2

    def _keep_cursor_row(self, change: object) -> None:
        """Run `change` (which may alter the row height) keeping the cursor's story in view."""
        row = self.cursor * self.row_height - self.scroll_offset.y
        change()  # type: ignore[operator]
        self.virtual_size = Size(self.size.width, self.total * self.row_height)
        self.scroll_to(y=max(0, self.cursor * self.row_height - row), animate=False,
                       immediate=True)
        self.refresh()

    # Data ------------------------------------------------------------------------------

    def set_source(self, source: StorySource, total: int, pages: dict[int, list[Story]], *,
                   cursor: int = 0, scroll_y: int | None = None) -> None:
        """Show `source` (holding `total` stories), with the pages already fetched."""
        self._generation += 1
        self.source = source
        self.total = total
        self._pages = {number: held for number, held in pages.items() if held}
        self._feed_cells = None
        self._pending = set()
        self.virtual_size = Size(self.size.width, total * self.row_height)
        cursor = max(0, min(cursor, total - 1))
        if scroll_y is not None:
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self.cursor = cursor
        self.refresh()

    def story_at(self, index: int) -> Story | None:
        page = self._pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    @property
    def current(self) -> Story | None:
        return self.story_at(self.cursor) if self.total else None

    def _longest_feed(self) -> int:
        """Cells of the longest feed name held; 0 when the rows need not name their feed."""
        if self._feed_cells is None:
            one = self.source is None or self.source.one_feed
            self._feed_cells = 0 if one else max(
                (cell_len(s.feed_title) for _, s in self.loaded_stories()), default=0)
        return self._feed_cells

    def loaded_stories(self) -> list[tuple[int, Story]]:
        """(index, story) of every story held in memory."""
        return [(p * PAGE + i, s) for p, page in self._pages.items() for i, s in enumerate(page)]

    def update_story(self, story: Story) -> None:
        """Replace a held story (after its read or starred state changed) and repaint it."""
        for index, held in self.loaded_stories():
            if held.id == story.id:
                self._pages[index // PAGE][index % PAGE] = story
                self.refresh_row(index)

    def mark(self, story_id: int, **changes: bool) -> Story | None:
        for _, held in self.loaded_stories():
            if held.id == story_id:
                updated = held._replace(**changes)  # type: ignore[arg-type]
                self.update_story(updated)
                return updated
        return None

    def _request(self, page: int) -> None:
        if page in self._pending or page in self._pages or self.source is None:
            return
        self._pending.add(page)
        source, generation = self.source, self._generation

        def fetch() -> None:
            stories = source.page(page * PAGE, PAGE)
            self.post_message(_PageLoaded(generation, page, stories))

        self.run_worker(fetch, thread=True, group="story-pages", exit_on_error=False,
                        description="reading more of the story list")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A page that cannot be read (a damaged cache) would stay a column of placeholders
        # with no word why: say what happened, once (the page stays pending, so rendering
        # does not ask again until the list is reloaded). The screen shows the Notice.
        if event.worker.group == "story-pages" and event.state is WorkerState.ERROR:
            self.post_message(Notice(failure_text(event.worker.description, event.worker.error),
                                     timeout=10, severity="error"))

    def on__page_loaded(self, message: _PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pending.discard(message.page)
        self._pages[message.page] = message.stories
        self._feed_cells = None
        self.refresh()
        if message.page == self.cursor // PAGE:
            self.cursor = self.cursor  # the highlighted story is known now

    # Rendering ---------------------------------------------------------------------------

    def refresh_row(self, index: int) -> None:
        height = self.row_height
        y = index * height - self.scroll_offset.y
        self.refresh(Region(0, y, self.size.width, height))

    def on_resize(self) -> None:
        self._keep_cursor_row(lambda: None)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = self.scroll_offset.y + y
        height = self.row_height
        index, part = divmod(row, height)
        if self.total == 0:
            if row == 1 and self.source is not None:
                style = self.get_component_rich_style("story-list--empty")
                return Strip([Segment(fit(" " + self.source.empty_text, width), style)]
                             ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= self.total:
            return Strip.blank(width, base)
        story = self.story_at(index)
        if story is None:
            self._request(index // PAGE)
            meta = self.get_component_rich_style("story-list--meta")
            text = "   …" if part == 0 else ""
            return Strip([Segment(text, meta)]).adjust_cell_length(width, base)
        cursor = index == self.cursor
        extra = self.get_component_rich_style("story-list--cursor") if cursor else Style()
        title_style = base + self.get_component_rich_style(
            "story-list--read" if story.read else "story-list--unread") + extra
        meta = base + self.get_component_rich_style("story-list--meta") + extra
        star = base + self.get_component_rich_style("story-list--star") + extra
        mark = " ● " if not story.read else "   "
        age = relative(story.published or story.fetched, self.now())
        if self._table:
            feed_width = feed_column(width, self._longest_feed())
            starred = "★ " if story.starred else ""
            room = (width - 3 - DATE_WIDTH - 2 - (feed_width + 2 if feed_width else 0)
                    - cell_len(starred))
            segments = [Segment(mark, title_style), Segment(age.rjust(DATE_WIDTH) + "  ", meta)]
            if feed_width:
                segments.append(
                    Segment(fit(story.feed_title, feed_width).ljust(feed_width) + "  ", meta))
            segments.append(Segment(fit(story.title, room), title_style))
            if starred:
                segments.append(Segment(" " * max(0, room - cell_len(story.title)), title_style))
                segments.append(Segment(starred, star))
            return Strip(segments).adjust_cell_length(width, title_style)
        # The feed and date sit right under the title; a title that fits one line of a
        # three-line row leaves the spare line below them, so each story's meta stays with
        # its own title rather than beside the next story's.
        if height == 3:
            lines = [line for line in wrap_two(story.title, width - 4) if line] or [""]
        else:
            lines = [fit(story.title, width - 4)]
        if part < len(lines):
            lead = mark if part == 0 else "   "
            return Strip([Segment(lead + lines[part], title_style)]).adjust_cell_length(
                width, title_style)
        if part > len(lines):
            return Strip.blank(width, title_style)
        tail = (" · " + age if age else "") + " "
        room = width - 3 - cell_len(tail) - (2 if story.starred else 0)
        segments = [Segment("   " + fit(story.feed_title, room) + tail, meta)]
        if story.starred:
            segments.append(Segment("★ ", star))
        return Strip(segments).adjust_cell_length(width, meta)

    # Keys and mouse ----------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)
        if self.total:
            height = self.row_height
            self.scroll_to_region(Region(0, new * height, 1, height), animate=False,
                                  immediate=True)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.total - 1)) if self.total else 0

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.total - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.size.height // self.row_height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.size.height // self.row_height - 1)

    def action_open(self) -> None:
        story = self.current
        if story is not None:
            self.post_message(StoryOpened(story))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + self.scroll_offset.y) // self.row_height
        if 0 <= index < self.total:
            self.cursor = index
            self.action_open()
