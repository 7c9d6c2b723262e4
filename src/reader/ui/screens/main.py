"""The main screen: feeds and stories on the left, the story in the middle, entities and
timeline on the right. It routes the widgets' messages and runs all store work in workers."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label

from reader.models import (
    Entity,
    RefreshProgress,
    RefreshSummary,
    Story,
    StoryBody,
    TimelineFact,
)
from reader.text import clean_line
from reader.ui.data.failures import failure_text
from reader.ui.data.preload import FeedListData, read_feed_list
from reader.ui.data.sources import ListSource, StoreSource, StorySource
from reader.ui.keys import screen_bindings
from reader.ui.messages import (
    EntityChosen,
    FactChosen,
    FeedChosen,
    LinkChosen,
    OpenScreen,
    RefreshProgressed,
    StoryOpened,
)
from reader.ui.screens.main_annotate import AnnotatingScreen
from reader.ui.screens.main_feeds import FeedActionsScreen, refresh_line
from reader.ui.screens.main_layout import LayoutScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.footer import ReaderFooter
from reader.ui.widgets.side_pane import EntityList, TimelineList
from reader.ui.widgets.story_list import PAGE, StoryList

if TYPE_CHECKING:
    from textual.widgets import ProgressBar
    from textual.worker import Worker

STREAM_EVERY = 0.5  # seconds between story-list reloads while a refresh streams in


class MainScreen(LayoutScreen, FeedActionsScreen, AnnotatingScreen):
    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings())

    # What the workers found, posted back to the screen.

    class Loaded(Message):
        """A story list read: `source` holds `total` stories; the pages read, the cursor
        (the same story as before when kept) and the screen row it was on."""

        def __init__(self, source: StorySource, feed_list: FeedListData, total: int,
                     pages: dict[int, list[Story]], cursor: int, row: int) -> None:
            super().__init__()
            self.source = source
            self.feed_list = feed_list
            self.total = total
            self.pages = pages
            self.cursor = cursor
            self.row = row

    class StoryRead(Message):
        """A story to show with its entities and facts (again once analysed)."""

        def __init__(self, body: StoryBody, entities: list[Entity], facts: list[TimelineFact],
                     analysed: bool) -> None:
            super().__init__()
            self.body = body
            self.entities = entities
            self.facts = facts
            self.analysed = analysed

    class CountsRead(Message):
        def __init__(self, feed_list: FeedListData) -> None:
            super().__init__()
            self.feed_list = feed_list

    class FlagSet(Message):
        def __init__(self, story_id: int, flag: str, value: bool, feed_list: FeedListData) -> None:
            super().__init__()
            self.story_id = story_id
            self.flag = flag
            self.value = value
            self.feed_list = feed_list

    class SearchFound(Message):
        def __init__(self, source: ListSource) -> None:
            super().__init__()
            self.source = source

    class RefreshDone(Message):
        def __init__(self, summary: RefreshSummary) -> None:
            super().__init__()
            self.summary = summary

    class ReadyToQuit(Message):
        """Where the reader left off is saved."""

    def __init__(self) -> None:
        super().__init__()
        self.base_source: StoreSource | None = None  # the feed view to return to
        self.source: StorySource | None = None
        self.cancel_event: threading.Event | None = None
        self.last_summary: RefreshSummary | None = None
        self._prepared = False
        self._analysis_cancel = threading.Event()
        self._mark_at: tuple[int, int] | None = None
        self._streamed = (0, 0)  # (new stories, failed feeds) last shown during a refresh
        self._stream_pending = False  # (story id, offset) to mark when shown

    def compose(self) -> ComposeResult:
        with Horizontal(id="columns"):
            with Vertical(id="left"):
                yield FeedList(id="feeds").add_class("pane")
                yield StoryList(id="stories", now=self.reader_app.now).add_class("pane")
            yield ArticleView(id="article").add_class("pane")
            with Vertical(id="side"):
                yield EntityList(id="entities").add_class("pane")
                yield TimelineList(id="timeline").add_class("pane")
        with Horizontal(id="status"):
            yield Label("", id="status-text", markup=False)
        yield ReaderFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#feeds").border_title = "Feeds"
        self.query_one("#stories").border_title = "Stories"
        self.query_one("#article").border_title = "Story"
        self.query_one("#entities").border_title = "Entities"
        self.query_one("#timeline").border_title = "Timeline"
        self.query_one(EntityList).show(None)
        self.query_one(TimelineList).show(None)
        self.query_one(StoryList).focus()
        self.layout_name = self.reader_app.layout_name
        self.apply_layout()
        self.base_source = StoreSource(self.reader_app.store)
        first, self.reader_app.first_screen = self.reader_app.first_screen, None
        if first is not None and first.source == self.base_source:
            self._loaded(self.Loaded(self.base_source, first.feed_list, first.total, first.pages,
                                     0, 0))
        else:
            self.reload(self.base_source)

    # Loading ---------------------------------------------------------------------------

    @property
    def stories(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    def reload(self, source: StorySource, *, keep: bool = False) -> None:
        """Show `source` in the story list; with `keep`, stay on the same story and screen row."""
        stories = self.stories
        current = stories.current if keep else None
        row = (stories.cursor * stories.row_height - stories.scroll_offset.y) if keep else 0
        self._load(source, current.id if current else None,
                   stories.cursor if keep else 0, stories.total if keep else 0, row)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False,
          description="reading the story list")
    def _load(self, source: StorySource, keep_id: int | None, old_cursor: int, old_total: int,
              row: int) -> None:
        feed_list = read_feed_list(self.reader_app.store)
        total = source.count()
        cursor = 0
        pages: dict[int, list[Story]] = {0: source.page(0, PAGE)}
        if keep_id is not None and total:
            guess = min(total - 1, old_cursor + max(0, total - old_total))
            for page in sorted({guess // PAGE, old_cursor // PAGE, guess // PAGE - 1,
                                guess // PAGE + 1}):
                if page < 0 or page * PAGE >= total:
                    continue
                held = pages.get(page) or source.page(page * PAGE, PAGE)
                pages[page] = held
                found = next((i for i, s in enumerate(held) if s.id == keep_id), None)
                if found is not None:
                    cursor = page * PAGE + found
                    break
            else:
                cursor = min(old_cursor, total - 1)
        self.post_message(self.Loaded(source, feed_list, total, pages, cursor, row))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.source = source = event.source
        self._counts(event.feed_list)
        stories = self.stories
        stories.set_source(source, event.total, event.pages, cursor=event.cursor,
                           scroll_y=max(0, event.cursor * stories.row_height - event.row))
        stories.border_title = Content.assemble(
            Content(clean_line(source.label, 60)),
            Content.styled(f" {event.total:,}", "$text-muted"))
        if not self._prepared:
            self._prepared = True
            # Counted from the first frame, not from now: on a busy machine the frame can take
            # longer than the delay, and preparing the article view (importing Markdown) then
            # held the story list back.
            self.call_after_refresh(self.set_timer, 0.2, self.article.prepare)
            if self.reader_app.analyse_backlog:
                self.set_timer(3.0, self._analyse_backlog)

    @on(FeedChosen)
    def _feed_chosen(self, event: FeedChosen) -> None:
        store = self.reader_app.store
        self.base_source = StoreSource(
            store, label=event.label, feed_id=event.feed_id,
            unread=True if event.view == "unread" else None,
            starred=True if event.view == "starred" else None,
            empty_text="Nothing here." if event.view != "all" else StoreSource.empty_text)
        self.reload(self.base_source)
        self.stories.focus()
        feed = self.query_one(FeedList).feed_by_id(event.feed_id) if event.feed_id else None
        if feed is not None and feed.last_error:
            self.notify(f"The last refresh of {clean_line(feed.title, 60)} failed: "
                        f"{clean_line(feed.last_error, 300)}", severity="warning", markup=False,
                        timeout=8)

    @work(thread=True, exclusive=True, group="analyse", exit_on_error=False,
          description="analysing the stored stories")
    def _analyse_backlog(self) -> None:
        """Entities and timeline for every stored story still lacking them (in a process)."""
        from reader.pipeline.refresh import run_analysis

        if self.reader_app.store.pending_analysis(1):
            run_analysis(self.reader_app.store, cancel=self._analysis_cancel,
                         limits=self.reader_app.config.limits)

    def on_unmount(self) -> None:
        self._analysis_cancel.set()

    # Reading ---------------------------------------------------------------------------

    @on(StoryOpened)
    def _story_opened(self, event: StoryOpened) -> None:
        article = self.article
        previous = article.story_id
        self.start_reading()
        self._open(event.story.id, previous, article.scroll_fraction)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False,
          description="opening the story")
    def _open(self, story_id: int, previous: int | None, fraction: float) -> None:
        store = self.reader_app.store
        if previous is not None and previous != story_id:
            store.set_scroll(previous, fraction)
        body = store.body(story_id)
        if body is None:
            return
        from reader.corrections import apply_corrections

        fixes = store.corrections(story_id)  # the reader's fixes to the extraction
        entities = apply_corrections(store.entities(story_id), fixes)[0]
        facts = store.timeline(story_id)
        analysed = store.is_analysed(story_id)
        self.post_message(self.StoryRead(body, entities, facts, analysed))
        if not analysed and body.markdown.strip():
            # Stories stored by a feeds-only refresh are analysed when first opened.
            from reader.pipeline.pool import analyse

            when = body.story.published or body.story.fetched
            entities, facts = analyse(body.markdown, when)
            store.store_analysis(story_id, entities, facts)
            entities = apply_corrections(entities, fixes)[0]
            self.post_message(self.StoryRead(body, entities, facts, True))
        if not body.story.read:  # counts after the story is on screen: reading comes first
            store.set_read(story_id, True)
            self.post_message(self.CountsRead(read_feed_list(store)))

    @on(StoryRead)
    async def _show(self, event: StoryRead) -> None:
        body = event.body
        mark, self._mark_at = self._mark_at, None
        if self.article.story_id != body.story.id:
            if mark is not None and mark[0] == body.story.id:
                body = body._replace(scroll=0.0)  # opened at a sentence: not where left off
            await self.article.show(body)
            self.load_annotations(body.story.id)
            if isinstance(self.source, ListSource) and self.source.query and mark is None:
                self.article.show_search(self.source.query)  # the words found, marked
        if mark is not None and mark[0] == body.story.id:
            self._mark_soon(body.story.id, mark[1], 20)
        self.query_one(EntityList).show(event.entities, analysed=event.analysed)
        self.query_one(TimelineList).show(event.facts, analysed=event.analysed)
        if not body.story.read:
            self.stories.mark(body.story.id, read=True)

    @on(CountsRead)
    def _counts_read(self, event: CountsRead) -> None:
        self._counts(event.feed_list)

    def _counts(self, feed_list: FeedListData) -> None:
        self.query_one(FeedList).set_feeds(feed_list.feeds, unread=feed_list.unread,
                                           starred=feed_list.starred, tags=feed_list.tags)

    def target(self) -> Story | None:
        """The story an action applies to: the open one when reading, else the highlighted."""
        if self.focused is self.article and self.article.body is not None:
            held = next((s for _, s in self.stories.loaded_stories()
                         if s.id == self.article.story_id), None)
            return held or self.article.body.story
        return self.stories.current

    def action_toggle_read(self) -> None:
        story = self.target()
        if story is not None:
            self._set_flag(story, "read", not story.read)

    def action_star(self) -> None:
        story = self.target()
        if story is not None:
            self._set_flag(story, "starred", not story.starred)

    @work(thread=True, group="flags", exit_on_error=False,
          description="marking the story")
    def _set_flag(self, story: Story, flag: str, value: bool) -> None:
        store = self.reader_app.store
        if flag == "read":
            store.set_read(story.id, value)
        else:
            store.set_starred(story.id, value)
        self.post_message(self.FlagSet(story.id, flag, value, read_feed_list(store)))

    @on(FlagSet)
    def _flag_set(self, event: FlagSet) -> None:
        flag, value = event.flag, event.value
        self.stories.mark(event.story_id, **{flag: value})
        self._counts(event.feed_list)
        word = {("read", True): "Marked read", ("read", False): "Marked unread",
                ("starred", True): "Starred", ("starred", False): "Unstarred"}[(flag, value)]
        self.notify(word, timeout=2)

    def action_open_browser(self) -> None:
        story = self.target()
        if story is None or not story.url:
            self.notify("This story has no original address.", severity="warning")
            return
        self._confirm_link(story.url)

    @on(LinkChosen)
    def _link(self, event: LinkChosen) -> None:
        self._confirm_link(event.href)

    def _confirm_link(self, href: str) -> None:
        """Every address opens only after the reader has seen where it goes and said yes."""
        from reader.ui.dialogs.general import ConfirmLinkDialog

        def chosen(href: str | None) -> None:
            if href:
                self.reader_app.open_in_browser(href)

        self.app.push_screen(ConfirmLinkDialog(href), chosen)

    # Entities and timeline -------------------------------------------------------------

    @on(EntityChosen)
    def _entity(self, event: EntityChosen) -> None:
        position, count = self.article.next_hit(event.entity.name, list(event.entity.mentions))
        name = clean_line(event.entity.name, 60)
        if count:
            self.notify(f"{name}: mention {position} of {count}", timeout=2, markup=False)

    @on(FactChosen)
    def _fact(self, event: FactChosen) -> None:
        if not self.article.mark(*event.fact.span, sentence=True):
            self.notify("That sentence is not in the story text.", severity="warning")

    def action_focus_entities(self) -> None:
        self.show_pane()
        self.query_one(EntityList).focus()

    def action_focus_timeline(self) -> None:
        self.show_pane()
        self.query_one(TimelineList).focus()

    def action_filter_entity(self) -> None:
        entity = self.query_one(EntityList).selected
        if entity is None:
            self.notify("Open a story and pick a person, place or organisation first.",
                        severity="warning")
            return
        label = f"Naming {clean_line(entity.name, 40)}"
        self.source = StoreSource(self.reader_app.store, label=label, entity=entity.name,
                                  empty_text="No stories name this.")
        self.reload(self.source)
        self.stories.focus()

    def action_entity_index(self) -> None:
        self.post_message(OpenScreen("entity_index"))

    def action_story_map(self) -> None:
        body = self.article.body
        if body is None:
            self.notify("Open a story first: the map shows the places it names.", timeout=3)
            return
        pane = self.query_one(EntityList)
        chosen = pane.selected
        selected = chosen.name if chosen is not None and chosen.kind == "place" else None

        def back(entity: object) -> None:
            if isinstance(entity, Entity):
                self._entity(EntityChosen(entity))

        self.post_message(OpenScreen("story_map", {
            "title": body.story.title, "entities": list(pane.entities), "selected": selected},
            done=back))

    def action_merged_timeline(self) -> None:
        self.post_message(OpenScreen("merged_timeline"))

    def open_story_at(self, story_id: int, offset: int | None = None) -> None:
        """Open a story chosen on another screen; with `offset`, mark the sentence there."""
        self._mark_at = (story_id, offset) if offset is not None else None
        self.start_reading()
        self.article.focus()
        self._open(story_id, self.article.story_id, self.article.scroll_fraction)

    def _mark_soon(self, story_id: int, offset: int, tries: int) -> None:
        # The end of a long story is laid out just after its first screenful, and scrolling
        # to a block not yet shown does nothing: mark again until the end is shown too.
        if self.article.story_id != story_id:
            return
        found = self.article.mark(offset)
        rest_shown = any(w.display for w in self.article.query("#article-rest"))
        if tries and not rest_shown:
            self.set_timer(0.05, lambda: self._mark_soon(story_id, offset, tries - 1))
        elif not found:
            self.notify("That sentence is not in the story text.", severity="warning")

    # Search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        from reader.ui.dialogs.general import SearchDialog

        self.app.push_screen(SearchDialog(), self._search_for)

    def _search_for(self, query: str | None) -> None:
        if query:
            self._search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False,
          description="searching")
    def _search(self, query: str) -> None:
        results = self.reader_app.store.search(query)
        label = f"Search: {clean_line(query, 40)}"
        source = ListSource(results, label=label, empty_text="No stories match.", query=query)
        self.post_message(self.SearchFound(source))

    @on(SearchFound)
    def _show_results(self, event: SearchFound) -> None:
        self.reload(event.source)
        self.stories.focus()

    def action_back(self) -> None:
        if self.stop_reading():
            return
        everything = StoreSource(self.reader_app.store)
        if self.source is not self.base_source and self.base_source is not None:
            self.reload(self.base_source)  # from search results, a tag or an entity filter
        elif self.base_source is not None and self.base_source != everything:
            # From a feed, Unread or Starred back to every story.
            self.base_source = everything
            self.reload(everything)
            self.query_one(FeedList).highlighted = 0
        self.stories.focus()

    # Adding ----------------------------------------------------------------------------

    def action_add_url(self) -> None:
        from reader.ui.dialogs.general import AddUrlDialog

        self.app.push_screen(AddUrlDialog(), self._added)

    def _added(self, message: str | None) -> None:
        if message:
            self.notify(message, markup=False)
            self.reload(self.base_source or StoreSource(self.reader_app.store), keep=True)

    # Refresh ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_refresh":
            return self.cancel_event is not None
        if action in ("refresh_all", "refresh_feed"):
            return None if self.cancel_event is not None else True
        return True

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_refresh_feed(self) -> None:
        feed = self.query_one(FeedList).selected_feed
        if feed is None:
            story = self.stories.current
            feed = self.query_one(FeedList).feed_by_id(story.feed_id) if story else None
        if feed is None:
            self.notify("Choose a feed first.", severity="warning")
            return
        self.start_refresh([feed.id])

    def action_cancel_refresh(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.query_one("#status-text", Label).update("Cancelling…")

    def start_refresh(self, feed_ids: list[int] | None, *, sample: bool = False) -> None:
        if self.cancel_event is not None:
            return
        self.cancel_event = threading.Event()
        self.add_class("-refreshing")
        self.query_one("#status-text", Label).update(
            "Loading the sample stories…" if sample else "Refreshing…")
        self._progress_bar().update(total=None, progress=0)
        self.refresh_bindings()
        self._streamed = (0, 0)
        # Feeds just subscribed show at once, named by their address until a title comes.
        self.reload(self.source or StoreSource(self.reader_app.store), keep=True)
        self._refresh(feed_ids, self.cancel_event, sample)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False,
          description="refreshing the feeds")
    def _refresh(self, feed_ids: list[int] | None, cancel: threading.Event,
                 sample: bool) -> None:
        app = self.reader_app

        def report(progress: RefreshProgress) -> None:
            self.post_message(RefreshProgressed(progress))

        if sample:
            from reader.pipeline.sample import load_sample

            summary = load_sample(app.store, app.config, progress=report)
        else:
            from reader.pipeline.refresh import run_refresh

            summary = run_refresh(app.store, app.config, feed_ids=feed_ids, progress=report,
                                  cancel=cancel)
        self.post_message(self.RefreshDone(summary))

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        if worker.group != "refresh":
            super().worker_failed(worker, error)
            return
        # Never leave the status bar saying "Refreshing…" after the refresh stopped.
        self._refresh_done(None)
        self.notify(f"{failure_text(worker.description, error)} Stories already stored are "
                    "unchanged.", severity="error", markup=False, timeout=10)

    @on(RefreshDone)
    def _refresh_finished(self, event: RefreshDone) -> None:
        self._refresh_done(event.summary)

    @on(RefreshProgressed)
    def _progress(self, event: RefreshProgressed) -> None:
        if self.cancel_event is None or self.cancel_event.is_set():
            return
        p = event.progress
        self._progress_bar().update(total=max(p.total, 1), progress=p.done)
        self.query_one("#status-text", Label).update(
            f"{p.done}/{p.total} · {p.new_stories} new · {p.failed} failed   x cancels")
        # Stream: each feed's stories show once stored, while the others are still fetching.
        # Reloads keep the highlighted story in its row, and the story being read is not
        # touched; they are spaced out so a fast refresh does not reload at every feed.
        if (p.new_stories, p.failed) != self._streamed and not self._stream_pending:
            self._streamed = (p.new_stories, p.failed)
            self._stream_pending = True
            self.set_timer(STREAM_EVERY, self._stream)

    def _progress_bar(self) -> ProgressBar:
        """The status bar's progress bar, made by the first refresh: the status bar is hidden
        until then, and a start that only shows the stories need not import and lay it out."""
        from textual.widgets import ProgressBar

        found = self.query(ProgressBar)
        if found:
            return found.first()
        bar = ProgressBar(id="progress", show_eta=False)
        self.query_one("#status").mount(bar)
        return bar

    def _stream(self) -> None:
        self._stream_pending = False
        if self.cancel_event is not None:
            self.reload(self.source or StoreSource(self.reader_app.store), keep=True)

    def _refresh_done(self, summary: RefreshSummary | None) -> None:
        self.cancel_event = None
        self.remove_class("-refreshing")
        self.refresh_bindings()
        self.last_summary = summary
        self.reload(self.source or StoreSource(self.reader_app.store), keep=True)
        if summary is None:
            return
        self.notify(refresh_line(summary), severity="warning" if summary.failed else "information",
                    timeout=6 if summary.failed else 3, markup=False)

    # Quitting --------------------------------------------------------------------------

    def action_help(self) -> None:
        self.post_message(OpenScreen("help"))

    def action_quit(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
        self._save_and_quit(self.article.story_id, self.article.scroll_fraction)

    @work(thread=True, exclusive=True, group="quit", exit_on_error=False,
          description="saving where you left off")
    def _save_and_quit(self, story_id: int | None, fraction: float) -> None:
        if story_id is not None:
            self.reader_app.store.set_scroll(story_id, fraction)
        self.post_message(self.ReadyToQuit())

    @on(ReadyToQuit)
    def _quit(self) -> None:
        self.app.exit()
