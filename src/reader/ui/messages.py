"""Messages widgets post up to the screen, which routes them: siblings never talk directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from textual.message import Message
from textual.notifications import SeverityLevel

from reader.models import Entity, RefreshProgress, Story, TimelineFact


@dataclass
class StoryOpened(Message):
    """The reader asked to read a story (Enter or click in a story list)."""

    story: Story


@dataclass
class FeedChosen(Message):
    """A row of the feed list was chosen: a feed id, or None with `view` "all" / "starred"
    / "unread"."""

    feed_id: int | None
    view: str
    label: str


@dataclass
class TagChosen(Message):
    """A tag was chosen in the feed list: show the stories carrying it."""

    tag: str


@dataclass
class EntityChosen(Message):
    entity: Entity


@dataclass
class FactChosen(Message):
    fact: TimelineFact


@dataclass
class LinkChosen(Message):
    """A link in the article was clicked: the screen asks before opening it."""

    href: str


@dataclass
class RefreshProgressed(Message):
    """Posted from the refresh thread."""

    progress: RefreshProgress


@dataclass
class Notice(Message):
    """Something a worker wants the reader told (posted from its thread; the screen shows
    it, since widgets and notifications belong to the UI thread)."""

    text: str
    timeout: float = 3.0
    severity: SeverityLevel = "information"


ScreenName = Literal["entity_index", "entity_detail", "merged_timeline", "story_map",
                     "developing_map", "help", "welcome"]

# Going to another screen. Screens never import each other: they post one of these and the
# app, which knows every screen by name, opens it.

@dataclass
class OpenStory(Message):
    """Read a story in the main screen (leaving the screens above it); with `offset`, mark
    the sentence at that character of its body."""

    story_id: int
    offset: int | None = None


@dataclass
class OpenScreen(Message):
    """Open the screen called `name` (see `WarReaderApp.SCREEN_CLASSES`), made with the
    keyword arguments `options`; `done` is called with its result when it is dismissed."""

    name: ScreenName
    options: dict[str, Any] = field(default_factory=dict)
    done: Callable[[Any], None] | None = None
