"""Regenerate screenshots/*.svg from the bundled sample stories.

    uv run python scripts/screenshots.py [--out screenshots] [--only maps]

Loads the sample through the real pipeline (reader.pipeline.sample.load_sample) into a
temporary store, then drives the app headless through the sessions below, each a run of the
app with its shots: the main screen with a story open and its side pane filled, search
results with the first one open (its search words marked), the help screen, the full-width
story list layout, the entity index, an entity's detail and the merged timeline, the map of
a story's places and of the developing story, and the welcome screen of an empty store.
`--only maps` (or any of the groups) makes just those.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.pilot import Pilot

from reader.config import Config
from reader.store import Store
from reader.ui.app import WarReaderApp

SIZE = (160, 45)

# A step is keys pressed together (then everything they started is left to finish), or
# something done to the app that keys cannot say.
Action = Callable[[Pilot, Store], Awaitable[None]]
Step = tuple[str, ...] | Action


@dataclass(frozen=True)
class Shot:
    name: str  # screenshots/<name>.svg
    steps: tuple[Step, ...]  # from where the session's previous shot left the app


@dataclass(frozen=True)
class Session:
    """One run of the app, from start-up, taking its shots in turn."""

    group: str
    shots: tuple[Shot, ...]
    config: Config = field(default_factory=Config)
    size: tuple[int, int] = SIZE
    sample: bool = True  # the sample stories, or an empty store


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def best_story(store: Store) -> int:
    """The sample story with the most entities and facts, by its place in the list."""
    stories = store.stories(limit=200)
    scores = [len(store.entities(s.id)) + 2 * len(store.timeline(s.id)) for s in stories]
    return max(range(len(stories)), key=scores.__getitem__) if stories else 0


def most_places(store: Store) -> int:
    """The sample story naming the most places, by its place in the list."""
    stories = store.stories(limit=200)
    places = [sum(e.kind == "place" for e in store.entities(s.id)) for s in stories]
    return max(range(len(stories)), key=places.__getitem__) if stories else 0


def open_story(choose: Callable[[Store], int]) -> Action:
    async def step(pilot: Pilot, store: Store) -> None:
        await pilot.press(*["j"] * choose(store), "enter")
        await settle(pilot)
    return step


async def focus_stories(pilot: Pilot, store: Store) -> None:
    """The story list keeps the focus, so its cursor shows which story is open."""
    pilot.app.screen.query_one("#stories").focus()


async def first_shared_fact(pilot: Pilot, store: Store) -> None:
    """The merged timeline from its first event reported by more than one outlet."""
    facts = getattr(pilot.app.screen, "facts", [])
    shared = next((i for i, m in enumerate(facts) if len(m.sources) > 1), 0)
    await pilot.press(*["j"] * shared)


async def map_drawn(pilot: Pilot, store: Store) -> None:
    await pilot.pause(0.3)  # the developing story's map is drawn after its data arrives


def sessions(query: str) -> tuple[Session, ...]:
    return (
        Session("main", (
            Shot("main", (open_story(best_story), ("e", "enter"), focus_stories)),
            Shot("search", (("slash", *query, "enter"),
                            ("enter",),  # the first result, its search words marked
                            focus_stories)),
            Shot("help", (("escape", "question_mark"),)),
        )),
        # newsboat's way: the full-width story list (w), whole titles with feed and date.
        Session("main", (Shot("list", (("j", "j"),)),), config=Config(layout="list")),
        # The entity index (E) on its Places tab, the top place's detail, the merged timeline.
        Session("index", (
            Shot("entity_index", (("E",), ("right",))),
            Shot("entity_detail", (("enter",),)),
            Shot("merged_timeline", (("escape", "escape", "T"), first_shared_fact)),
        )),
        # M on the main screen (the story naming the most places), M on the entity index
        # (the developing story, all dates).
        Session("maps", (
            Shot("story_map", (open_story(most_places), ("M",))),
            Shot("developing_map", (("escape", "E"), ("M",), map_drawn)),
        )),
        Session("welcome", (Shot("welcome", ()),), size=(110, 36), sample=False),
    )


async def capture(session: Session, store: Store, out: Path) -> None:
    app = WarReaderApp(store, session.config)
    async with app.run_test(size=session.size) as pilot:
        await settle(pilot)
        for shot in session.shots:
            for step in shot.steps:
                if isinstance(step, tuple):
                    await pilot.press(*step)
                    await settle(pilot)
                else:
                    await step(pilot, store)
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot(str(out / f"{shot.name}.svg"))
            print(out / f"{shot.name}.svg")


def main() -> int:
    groups_known = ("main", "index", "maps", "welcome")
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "screenshots")
    ap.add_argument("--query", default="Kupyansk rail",
                    help="words for the search screenshot")
    ap.add_argument("--only", choices=groups_known, action="append",
                    help="make only these groups of screenshots (repeatable)")
    args = ap.parse_args()
    chosen = [s for s in sessions(args.query) if s.group in set(args.only or groups_known)]
    args.out.mkdir(parents=True, exist_ok=True)
    from reader.pipeline.sample import load_sample

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store(folder / "sample.sqlite3") as store, Store(folder / "empty.sqlite3") as empty:
            if any(s.sample for s in chosen):
                summary = load_sample(store, Config())
                if not store.count_stories():
                    print(f"the sample gave no stories: {summary}", file=sys.stderr)
                    return 1
            for session in chosen:
                asyncio.run(capture(session, store if session.sample else empty, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
