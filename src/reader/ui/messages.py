"""Messages widgets post up to the screen, which routes them: siblings never talk directly.

Messages are plain classes with an `__init__`, as Textual's own are, not dataclasses: Python
takes a third of a millisecond to make a dataclass, and every start of the reader would make
the thirty the main screen uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from textual.message import Message
from textual.notifications import SeverityLevel

from reader.models import Entity, RefreshProgress, Story, TimelineFact


class StoryOpened(Message):
    """The reader asked to read a story (Enter or click in a story list)."""

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story


class FeedChosen(Message):
    """A row of the feed list was chosen: a feed id, or None with `view` "all" / "starred"
    / "unread"."""

    def __init__(self, feed_id: int | None, view: str, label: str) -> None:
        super().__init__()
        self.feed_id = feed_id
        self.view = view
        self.label = label


class TagChosen(Message):
    """A tag was chosen in the feed list: show the stories carrying it."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag


class EntityChosen(Message):
    def __init__(self, entity: Entity) -> None:
        super().__init__()
        self.entity = entity


class FactChosen(Message):
    def __init__(self, fact: TimelineFact) -> None:
        super().__init__()
        self.fact = fact


class LinkChosen(Message):
    """A link in the article was clicked: the screen asks before opening it."""

    def __init__(self, href: str) -> None:
        super().__init__()
        self.href = href


class RefreshProgressed(Message):
    """Posted from the refresh thread."""

    def __init__(self, progress: RefreshProgress) -> None:
        super().__init__()
        self.progress = progress


class Notice(Message):
    """Something a worker wants the reader told (posted from its thread; the screen shows
    it, since widgets and notifications belong to the UI thread)."""

    def __init__(self, text: str, timeout: float = 3.0,
                 severity: SeverityLevel = "information") -> None:
        super().__init__()
        self.text = text
        self.timeout = timeout
        self.severity = severity


ScreenName = Literal["entity_index", "entity_detail", "merged_timeline", "story_map",
                     "developing_map", "help", "welcome"]

# Going to another screen. Screens never import each other: they post one of these and the
# app, which knows every screen by name, opens it.

class OpenStory(Message):
    """Read a story in the main screen (leaving the screens above it); with `offset`, mark
    the sentence at that character of its body."""

    def __init__(self, story_id: int, offset: int | None = None) -> None:
        super().__init__()
        self.story_id = story_id
        self.offset = offset


class OpenScreen(Message):
    """Open the screen called `name` (see `WarReaderApp.SCREEN_CLASSES`), made with the
    keyword arguments `options`; `done` is called with its result when it is dismissed."""

    def __init__(self, name: ScreenName, options: dict[str, Any] | None = None,
                 done: Callable[[Any], None] | None = None) -> None:
        super().__init__()
        self.name = name
        self.options = options or {}
        self.done = done
