"""Regenerate screenshots/*.svg from the bundled sample stories.

    uv run python scripts/screenshots.py [--out screenshots]

Loads the sample through the real pipeline (reader.pipeline.sample.load_sample) into a
temporary store,
then drives the app headless: the main screen with a story open and its side pane filled,
search results with the first one open (its search words marked), the help screen, the
full-width story list layout, the entity index, an entity's detail and the merged
timeline, the map of a story's places and of the developing story, and the welcome screen
of an empty store. `--only maps` (or any of the groups) makes just those.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from textual.pilot import Pilot

from reader.config import Config
from reader.store import Store
from reader.ui.app import WarReaderApp

SIZE = (160, 45)


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def best_story(store: Store) -> int:
    """The index in the story list of the sample story with the most entities and facts."""
    stories = store.stories(limit=200)
    scores = [len(store.entities(s.id)) + 2 * len(store.timeline(s.id)) for s in stories]
    return max(range(len(stories)), key=scores.__getitem__) if stories else 0


async def shoot(store: Store, out: Path, query: str) -> None:
    index = best_story(store)
    app = WarReaderApp(store, Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e", "enter")
        await settle(pilot)
        app.main.query_one("#stories").focus()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(out / "main.svg"))
        await pilot.press("slash", *query, "enter")
        await settle(pilot)
        await pilot.press("enter")  # the first result, its search words marked
        await settle(pilot)
        app.main.query_one("#stories").focus()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(out / "search.svg"))
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        app.save_screenshot(str(out / "help.svg"))


async def shoot_list(store: Store, out: Path) -> None:
    """newsboat's way: the full-width story list (w), whole titles with feed and date."""
    app = WarReaderApp(store, Config(layout="list"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(out / "list.svg"))


async def shoot_index(store: Store, out: Path) -> None:
    """The entity index (E) on its Places tab, the top place's detail, and the merged
    timeline (T) from its first event reported by more than one outlet."""
    app = WarReaderApp(store, Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        app.save_screenshot(str(out / "entity_index.svg"))
        await pilot.press("enter")
        await settle(pilot)
        app.save_screenshot(str(out / "entity_detail.svg"))
        await pilot.press("escape", "escape", "T")
        await settle(pilot)
        facts = getattr(app.screen, "facts", [])
        shared = next((i for i, m in enumerate(facts) if len(m.sources) > 1), 0)
        for _ in range(shared):
            await pilot.press("j")
        await pilot.pause()
        app.save_screenshot(str(out / "merged_timeline.svg"))


async def shoot_maps(store: Store, out: Path) -> None:
    """M on the main screen (the story with the most places) and M on the entity index
    (the developing story, all dates)."""
    stories = store.stories(limit=200)
    places = [sum(e.kind == "place" for e in store.entities(s.id)) for s in stories]
    index = max(range(len(stories)), key=places.__getitem__) if stories else 0
    app = WarReaderApp(store, Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(out / "story_map.svg"))
        await pilot.press("escape", "E")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        await pilot.pause(0.3)
        app.save_screenshot(str(out / "developing_map.svg"))


async def shoot_welcome(store: Store, out: Path) -> None:
    app = WarReaderApp(store, Config())
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        app.save_screenshot(str(out / "welcome.svg"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "screenshots")
    ap.add_argument("--query", default="Kupyansk rail",
                    help="words for the search screenshot")
    ap.add_argument("--only", choices=("main", "index", "maps", "welcome"), action="append",
                    help="make only these groups of screenshots (repeatable)")
    args = ap.parse_args()
    groups = set(args.only or ("main", "index", "maps", "welcome"))
    args.out.mkdir(parents=True, exist_ok=True)
    from reader.pipeline.sample import load_sample

    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "sample.sqlite3") as store:
            summary = load_sample(store, Config())
            if not store.count_stories():
                print(f"the sample gave no stories: {summary}", file=sys.stderr)
                return 1
            if "main" in groups:
                asyncio.run(shoot(store, args.out, args.query))
                asyncio.run(shoot_list(store, args.out))
            if "index" in groups:
                asyncio.run(shoot_index(store, args.out))
            if "maps" in groups:
                asyncio.run(shoot_maps(store, args.out))
        if "welcome" in groups:
            with Store(Path(tmp) / "empty.sqlite3") as empty:
                asyncio.run(shoot_welcome(empty, args.out))
    names = {"main": ("main", "search", "help", "list"),
             "index": ("entity_index", "entity_detail", "merged_timeline"),
             "maps": ("story_map", "developing_map"), "welcome": ("welcome",)}
    for group in sorted(groups):
        for name in names[group]:
            print(args.out / f"{name}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
