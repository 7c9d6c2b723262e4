"""Where a story list gets its stories: a filtered view of the store, or a fixed result list.

`count` and `page` do SQLite work and are only called from thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from reader.models import Story
from reader.store import Store

PAGE = 100  # stories a list reads at a time: the first screen's read and each page after


class StorySource(Protocol):
    label: str
    empty_text: str

    @property
    def one_feed(self) -> bool:
        """Every story comes from the same feed (the list need not name it on each row)."""
        ...

    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> list[Story]: ...


@dataclass
class StoreSource:
    """Stories of the store, newest first, optionally of one feed, unread, starred or naming
    an entity."""

    store: Store
    label: str = "All stories"
    feed_id: int | None = None
    unread: bool | None = None
    starred: bool | None = None
    entity: str | None = None
    empty_text: str = "No stories yet: press r to refresh or a to add a feed."

    def _filters(self) -> dict[str, object]:
        return {"feed_id": self.feed_id, "unread": self.unread, "starred": self.starred,
                "entity": self.entity}

    @property
    def one_feed(self) -> bool:
        return self.feed_id is not None

    def count(self) -> int:
        return self.store.count_stories(**self._filters())  # type: ignore[arg-type]

    def page(self, offset: int, limit: int) -> list[Story]:
        return self.store.stories(limit=limit, offset=offset, **self._filters())  # type: ignore[arg-type]


@dataclass
class TagSource:
    """Stories carrying one of the reader's tags, newest first."""

    store: Store
    tag: str
    label: str = ""
    empty_text: str = "No stories carry this tag any more."

    def __post_init__(self) -> None:
        self.label = self.label or f"#{self.tag}"

    @property
    def one_feed(self) -> bool:
        return False

    def count(self) -> int:
        return len(self.store.story_ids_with_tag(self.tag))

    def page(self, offset: int, limit: int) -> list[Story]:
        return self.store.stories_with_tag(self.tag, limit, offset)


@dataclass
class ListSource:
    """A fixed list, such as search results (already capped by the search)."""

    stories: list[Story] = field(default_factory=list)
    label: str = "Results"
    empty_text: str = "No stories match."
    query: str = ""  # the words searched for, marked in the stories opened from here

    @property
    def one_feed(self) -> bool:
        return False

    def count(self) -> int:
        return len(self.stories)

    def page(self, offset: int, limit: int) -> list[Story]:
        return self.stories[offset:offset + limit]
