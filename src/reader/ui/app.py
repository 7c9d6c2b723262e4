"""The warreader application: opens the main screen over a Store, and the welcome screen when
nothing is subscribed. Heavy modules (network, extraction, analysis) are imported by workers
only, so start-up costs Textual and SQLite alone."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from reader.config import Config
from reader.paths import Paths
from reader.store import Store
from reader.text import clean_line
from reader.ui.data.failures import failure_text
from reader.ui.data.preload import FirstScreen
from reader.ui.data.state import load_state, save_state
from reader.ui.data.timefmt import utc_now
from reader.ui.keys import (
    MOVE_BINDINGS,
    SCREEN_KEYS,
    go,
    keymap_from_config,
    keymap_problems,
)
from reader.ui.messages import Notice, OpenScreen, OpenStory
from reader.ui.screens.main import MainScreen


class WarReaderApp(App[int]):
    CSS_PATH = "styles/app.tcss"
    TITLE = "warreader"
    BINDINGS: ClassVar[list[BindingType]] = [
        *MOVE_BINDINGS,
        Binding("ctrl+c", "quit_now", "Quit", show=False, priority=True, id="quit_now"),
    ]

    class CacheRead(Message):
        """What the first run needs to know of the cache."""

        def __init__(self, total: int, has_feeds: bool) -> None:
            super().__init__()
            self.total = total  # stories stored
            self.has_feeds = has_feeds

    def __init__(self, store: Store, config: Config | None = None, *,
                 paths: Paths | None = None, sample: bool = False,
                 now: Callable[[], dt.datetime] = utc_now, welcome: bool = True,
                 analyse_backlog: bool = False,
                 first_screen: FirstScreen | None = None) -> None:
        super().__init__()
        # The first screen's data, read while Textual was imported (see ui.preload).
        self.first_screen = first_screen
        # Analyse stories a feeds-only refresh stored, in a process, once the UI is up.
        self.analyse_backlog = analyse_backlog
        self.store = store
        self.config = config or Config()
        self.paths = paths
        self.sample = sample
        self.now = now
        self.welcome = welcome
        self.keymap = keymap_from_config(self.config.keys)
        remembered = load_state(paths.data_dir) if paths is not None else {}
        self.layout_name = remembered.get("layout") or self.config.layout

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(f"Unknown theme {self.config.theme!r} in the config file.",
                            severity="warning", markup=False)
        if self.keymap:
            self.set_keymap(self.keymap)
        for problem in keymap_problems(self.keymap):
            self.notify(problem, title="Config file", severity="warning", timeout=15,
                        markup=False)
        self.push_screen(MainScreen())
        first = self.first_screen
        if first is not None:
            # Known already: no worker competing with the first frame for the GIL.
            self.call_after_refresh(self._welcome_or_sample, first.total,
                                    bool(first.feed_list.feeds))
        else:
            self._first_run()

    def on_notice(self, event: Notice) -> None:
        self.notify(clean_line(event.text, 400), markup=False, timeout=event.timeout,
                    severity=event.severity)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app's own workers; each screen reports its workers itself (ReaderScreen).
        if event.state is WorkerState.ERROR:
            self.notify(failure_text(event.worker.description, event.worker.error),
                        severity="error", markup=False, timeout=8)

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    # Opening screens -------------------------------------------------------------------

    # Every screen but the main one, by name: imported when first opened, so start-up pays
    # for the main screen alone, and screens open each other through the app (OpenScreen)
    # instead of importing each other.
    SCREEN_CLASSES: ClassVar[dict[str, str]] = {
        "entity_index": "reader.ui.screens.entity_index:EntityIndexScreen",
        "entity_detail": "reader.ui.screens.entity_detail:EntityDetailScreen",
        "merged_timeline": "reader.ui.screens.merged_timeline:MergedTimelineScreen",
        "story_map": "reader.ui.screens.map:StoryMapScreen",
        "developing_map": "reader.ui.screens.map:DevelopingMapScreen",
        "help": "reader.ui.screens.help:HelpScreen",
        "welcome": "reader.ui.screens.welcome:WelcomeScreen",
    }

    def screen_class(self, name: str) -> type[Screen[Any]]:
        module, _, cls = self.SCREEN_CLASSES[name].partition(":")
        found: type[Screen[Any]] = getattr(importlib.import_module(module), cls)
        return found

    @on(OpenScreen)
    def _open_screen(self, event: OpenScreen) -> None:
        self.push_screen(self.screen_class(event.name)(**event.options), event.done)

    @on(OpenStory)
    def _open_story(self, event: OpenStory) -> None:
        """Back to the main screen (leaving every screen above it) to read the story."""
        while not isinstance(self.screen, MainScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.main.open_story_at(event.story_id, event.offset)

    @work(thread=True, group="first-run", exit_on_error=False,
          description="reading the cache")
    def _first_run(self) -> None:
        self.post_message(self.CacheRead(self.store.count_stories(), bool(self.store.feeds())))

    def on_war_reader_app_cache_read(self, event: CacheRead) -> None:
        self._welcome_or_sample(event.total, event.has_feeds)

    def _welcome_or_sample(self, total: int, has_feeds: bool) -> None:
        if self.sample and total == 0:
            self._after_welcome("sample")
        elif self.welcome and not has_feeds:
            self._show_welcome()

    def _show_welcome(self) -> None:
        self.post_message(OpenScreen("welcome", done=self._after_welcome))

    def _after_welcome(self, choice: str | None) -> None:
        main = self.main
        if choice == "sample":
            main.start_refresh(None, sample=True)
        elif choice == "refresh":
            main.start_refresh(None)

    def action_go(self, move: str) -> None:
        go(self.focused, move)

    async def action_quit_now(self) -> None:
        """Ctrl+C: quit at once, keeping the place in the open story."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            self.exit()
            return
        main.action_quit()

    def remember(self, **values: str) -> None:
        """Keep the reader's choices (the layout) for the next start."""
        if self.paths is None:
            return
        try:
            save_state(self.paths.data_dir, **values)
        except OSError as exc:
            self.notify(f"Could not remember the choice: {exc.strerror}.", severity="warning",
                        markup=False)

    def open_in_browser(self, url: str) -> None:
        """Open `url` with the configured browser command, or Python's webbrowser module."""
        self._open_url(url)

    @work(thread=True, group="browser", exit_on_error=False,
          description="opening the browser")
    def _open_url(self, url: str) -> None:
        import subprocess

        from reader.config import browser_argv
        from reader.ui.data.links import link_parts

        if link_parts(url) is None:  # nothing but a web address reaches a browser command
            self.post_message(Notice("Only http and https addresses are opened."))
            return
        command = self.config.browser.strip()
        if command:
            # A list of arguments and no shell: the address is one argument, and nothing
            # in it ($(...), backticks, ;) can run a command.
            subprocess.Popen(browser_argv(command, url), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, shell=False)
        else:
            import webbrowser

            if not webbrowser.open(url):
                raise OSError("no browser found")
        self.post_message(Notice("Opened in the browser.", timeout=2))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for key in SCREEN_KEYS:
                if key.action in ("quit", "back"):
                    continue
                yield SystemCommand(key.description, key.help,
                                    partial(screen.run_action, key.action))


def run_app(store: Store, config: Config, paths: Paths, *, sample: bool = False,
            first_screen: FirstScreen | None = None) -> int:
    """Run the reader on `store` until the user quits; the exit status."""
    app = WarReaderApp(store, config, paths=paths, sample=sample, analyse_backlog=True,
                       first_screen=first_screen)
    app.run()
    return app.return_code or 0
