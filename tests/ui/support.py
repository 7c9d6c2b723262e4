"""What the UI tests share: stores filled with made-up stories, an app, waiting, screen text.

The stories here are made up for the tests; the app itself only ever shows what a Store holds.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import time
from pathlib import Path

from textual.pilot import Pilot

from reader.config import Config
from reader.models import Entity, ParsedEntry, TimelineFact
from reader.store import Store
from reader.ui.app import WarReaderApp

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)
HOSTILE = "[bold red]pwn[/] \x1b[2J"

BODY = """The governor of the region, Olena Kovalenko, said on Monday that shelling hit Kharkiv.

## What happened

Kovalenko told reporters that the city council of Kharkiv had opened shelters. The
[United Nations](https://example.org/un) called for calm.

Repairs began on 3 March 2025, according to the council, and Kovalenko visited on 5 March.

Further paragraphs follow so that the story is long enough to scroll.
""" + "\n".join(f"Paragraph {i} about the situation in the region." + "\n" for i in range(40))


def clock() -> dt.datetime:
    return NOW


def spans(text: str, word: str) -> tuple[tuple[int, int], ...]:
    out = []
    start = text.find(word)
    while start >= 0:
        out.append((start, start + len(word)))
        start = text.find(word, start + 1)
    return tuple(out)


def fill_store(path: Path, *, feeds: int = 2, per_feed: int = 3, hostile: bool = False,
               analysed: bool = True) -> Store:
    """A store with `feeds` feeds of `per_feed` stories each, published an hour apart."""
    store = Store(path)
    n = 0
    for f in range(feeds):
        feed = store.add_feed(f"http://127.0.0.1:9/feed/{f}.xml", f"Feed {f}")
        entries = []
        for i in range(per_feed):
            title = f"Story {f}-{i}" + (f" {HOSTILE}" if hostile and i == 0 else "")
            entries.append(ParsedEntry(
                guid=f"g{f}-{i}", title=title, url=f"http://127.0.0.1:9/a/{f}/{i}.html",
                published=NOW - dt.timedelta(hours=n + 1), author="A. Reporter"))
            n += 1
        store.store_entries(feed.id, entries, [BODY] * len(entries), feed_title=f"Feed {f}")
    if analysed:
        for story in store.stories(limit=10_000):
            store.store_analysis(story.id, sample_entities(), sample_facts())
    return store


def sample_entities() -> list[Entity]:
    return [
        Entity("Olena Kovalenko", "person", ("Kovalenko",),
               spans(BODY, "Olena Kovalenko") + spans(BODY, "Kovalenko told")
               + spans(BODY, "Kovalenko visited")),
        Entity("Kharkiv", "place", (), spans(BODY, "Kharkiv")),
        Entity("United Nations", "organization", (), spans(BODY, "United Nations")),
    ]


def sample_facts() -> list[TimelineFact]:
    visit = BODY.index("Repairs began")
    monday = BODY.index("on Monday")
    return [
        TimelineFact("2025-03-05", (visit, visit + 60), "Kovalenko visited on 5 March.",
                     ("Olena Kovalenko",)),
        TimelineFact("2025-03-10", (monday, monday + 9), "Shelling hit Kharkiv, the governor "
                     "said on Monday.", ("Kharkiv",), relative=True),
        TimelineFact("2025-03-03", (visit, visit + 30), "Repairs began in Kharkiv.", ()),
    ]


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and the screen catch up."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press `keys`, then settle: whatever they started has finished and is on screen."""
    await pilot.press(*keys)
    await settle(pilot)


async def open_story(pilot: Pilot, title: str | None = None) -> None:
    """From the main screen as it starts: open the story titled `title` (the first story
    when None) and return once it is shown."""
    from reader.ui.screens.main import MainScreen

    await settle(pilot)
    main = pilot.app.screen
    assert isinstance(main, MainScreen)
    if title is not None:
        for _ in range(main.stories.total):
            current = main.stories.current
            if current is not None and current.title == title:
                break
            await pilot.press("j")
        else:
            raise AssertionError(f"no story titled {title!r} in the list")
    await press(pilot, "enter")


async def wait_refresh(pilot: Pilot, timeout: float = 30) -> None:
    """Wait for the running refresh (if any) to end, then settle."""
    main = pilot.app.main  # type: ignore[attr-defined]
    end = time.monotonic() + timeout
    await pilot.pause()
    while main.cancel_event is not None and time.monotonic() < end:
        await pilot.pause(0.05)
    await settle(pilot)


async def refresh(pilot: Pilot) -> None:
    """`r`, and wait for the refresh to end."""
    await pilot.press("r")
    await wait_refresh(pilot)


def notices(app: WarReaderApp) -> str:
    """Every notification shown so far, in one string."""
    return " | ".join(str(n.message) for n in app._notifications)


def browser_recorder(tmp_path: Path) -> tuple[Config, Path]:
    """A config whose browser is a real process that writes the arguments it was given to a
    file (as JSON), and that file."""
    out = tmp_path / "argv.txt"
    script = tmp_path / "record.py"
    script.write_text("import sys, json, pathlib\n"
                      f"pathlib.Path({str(out)!r}).write_text(json.dumps(sys.argv[1:]))\n")
    return Config(browser=f"{sys.executable} {script} {{url}}"), out


async def wait_for_file(pilot: Pilot, path: Path, timeout: float = 5) -> None:
    """Wait (keeping the app running) until `path` exists, or `timeout` seconds."""
    end = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < end:
        await pilot.pause(0.05)


def make_app(store: Store, **kwargs: object) -> WarReaderApp:
    return WarReaderApp(store, kwargs.pop("config", None) or Config(), now=clock,  # type: ignore[arg-type]
                        **kwargs)  # type: ignore[arg-type]


def screen_text(app: WarReaderApp) -> str:
    """What the terminal shows, as plain text."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=io.StringIO(),
                      legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))  # type: ignore[arg-type]
    return console.export_text()


def hit_words(block: object) -> list[str]:
    """The words of a rendered article block marked as a chosen mention or fact."""
    content = block.content  # type: ignore[attr-defined]
    return [content.plain[s.start:s.end] for s in content.spans if s.style == ".article--hit"]
