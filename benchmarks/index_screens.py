"""How fast the entity index (E), an entity's detail and the merged timeline (T) open in the
real app, with 10,000 stored stories.

    uv run python benchmarks/index_screens.py [--stories 10000] [--runs 7] [--db PATH]

Builds the same synthetic cache as benchmarks/index.py (stories over a year from 20 outlets,
~15 entities and ~5 facts each, many events reported by several outlets), indexes it, then
drives WarReaderApp headless with App.run_test() at 120x40 and times, from the key press,
until the screen has handled the first page its worker read (its list is filled) and until
the screen has next been refreshed after that (the list painted). Then: update_index for a
refresh that adds 50 stories, and E pressed right after such a refresh before the index
caught up (the screen shows the list at once and reads it again when its own update has
indexed the new stories).
Target: 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from index import Corpus  # the synthetic cache of benchmarks/index.py

from reader.config import Config
from reader.index.build import update_index
from reader.store import Store
from reader.ui import app as app_module
from reader.ui.app import WarReaderApp
from reader.ui.screens.entity_detail import EntityDetailScreen
from reader.ui.screens.entity_index import EntityIndexScreen
from reader.ui.screens.merged_timeline import MergedTimelineScreen

TARGET_MS = 200.0


# The messages that carry a screen's first list from its worker.
FIRST_LISTS = (EntityIndexScreen.PageRead, EntityDetailScreen.DetailRead,
               MergedTimelineScreen.PageRead)


class TimedApp(WarReaderApp):
    """The real app, noting when an index screen has filled its first list and painted it."""

    CSS_PATH = str(Path(app_module.__file__).parent / "styles" / "app.tcss")

    def __init__(self, store: Store) -> None:
        super().__init__(store, Config(), welcome=False)
        self.shown: list[float] = []
        self.painted: list[float] = []

    def hook(self, message: object) -> None:
        """Called as each message reaches its handler (`run_test(message_hook=...)`)."""
        if isinstance(message, FIRST_LISTS) and getattr(message, "after", None) is None \
                and getattr(message, "offset", 0) == 0:
            self.screen.call_next(self._filled)  # after the screen's handler has run

    def _filled(self) -> None:
        self.shown.append(time.perf_counter())
        # Runs once the screen has been refreshed with the filled list.
        self.screen.call_after_refresh(lambda: self.painted.append(time.perf_counter()))


async def wait_shown(app: TimedApp, count: int, timeout: float = 30.0) -> tuple[float, float]:
    """When the `count`-th first list was filled, and when it was painted."""
    deadline = time.perf_counter() + timeout
    while len(app.painted) < count:
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never showed its list")
        await asyncio.sleep(0.001)
    return app.shown[count - 1], app.painted[count - 1]


async def measure(path: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """(ms to list filled, ms to list painted) per screen and run."""
    out: dict[str, list[tuple[float, float]]] = {"E": [], "Enter": [], "T": []}
    with Store(path) as store:
        app = TimedApp(store)
        async with app.run_test(size=(120, 40), message_hook=app.hook) as pilot:
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            for _ in range(runs):
                for label, keys, back in (("E", ["E"], []), ("Enter", ["enter"], ["escape"]),
                                          ("T", ["T"], ["escape", "escape"])):
                    seen = len(app.shown)
                    t0 = time.perf_counter()
                    await pilot.press(*keys)
                    t1, t2 = await wait_shown(app, seen + 1)
                    out[label].append(((t1 - t0) * 1000, (t2 - t0) * 1000))
                    await app.workers.wait_for_complete()
                    if back:
                        await pilot.press(*back)
                        await pilot.pause()
            await pilot.press("escape")
    return out


async def after_refresh(path: Path) -> tuple[float, float, int]:
    """E pressed when 50 new stories are not indexed yet: ms to the first list, ms to the
    list read again with them, and how many stories the screen's update indexed."""
    with Store(path) as store:
        app = TimedApp(store)
        async with app.run_test(size=(120, 40), message_hook=app.hook) as pilot:
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            t0 = time.perf_counter()
            await pilot.press("E")
            first, _ = await wait_shown(app, 1)
            second, _ = await wait_shown(app, 2)
            indexed = store.db.query("SELECT count(*) FROM indexed_stories")[0][0]
    return (first - t0) * 1000, (second - t0) * 1000, indexed


def line(label: str, ms: float, note: str = "", target: bool = True) -> None:
    verdict = ("ok " if ms <= TARGET_MS else "SLOW") if target else "    "
    print(f"  {verdict} {label:<52} {ms:8.1f} ms  {note}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=10_000)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--db", type=Path, help="build here (default: a temporary folder)")
    args = ap.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "bench.sqlite3"
    with Store(path) as store:
        corpus = Corpus.create(store, args.feeds)
        t0 = time.perf_counter()
        corpus.add(store, args.stories, 0)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        n = update_index(store)
        first = (time.perf_counter() - t0) * 1000
    print(f"Built {args.stories:,} stories in {built:.1f} s; first update_index ({n:,} stories)"
          f" {first:,.0f} ms (once, in a worker)")
    results = asyncio.run(measure(path, args.runs))
    print(f"Screens through the real app, 120x40, median of {args.runs} "
          f"(target {TARGET_MS:.0f} ms):")
    names = {"E": "E: entity index", "Enter": "Enter: entity detail (top entity)",
             "T": "T: merged timeline (first page)"}
    for key, timings in results.items():
        filled = statistics.median(t for t, _ in timings)
        idle = statistics.median(t for _, t in timings)
        line(f"{names[key]}, list filled", filled, f"max {max(t for t, _ in timings):.1f} ms")
        line(f"{names[key]}, painted", idle)
    with Store(path) as store:
        corpus.add(store, 50, args.stories)
        t0 = time.perf_counter()
        more = update_index(store)
        incremental = (time.perf_counter() - t0) * 1000
        corpus.add(store, 50, args.stories + 50)
    line(f"update_index after a refresh adding {more} stories", incremental,
         "(in the refresh worker)", target=False)
    shown, again, indexed = asyncio.run(after_refresh(path))
    line("E with 50 stories not yet indexed, first list", shown)
    line("  ... list again with them indexed by the screen", again,
         f"({indexed:,} stories indexed)", target=False)
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
