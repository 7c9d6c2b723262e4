"""Plain data passed between the core modules and the UI.

Immutable values only: no behaviour beyond small derived properties, no I/O. They are named
tuples, which Python defines several times faster than frozen dataclasses: every start of the
reader defines them all, and they are most of what the core costs to import. Entity stays a
frozen dataclass because its `count` would clash with a tuple's own `count()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple

FeedStatus = Literal["new", "unchanged", "failed"]
CorrectionAction = Literal["remove", "retype", "merge"]


class ParsedEntry(NamedTuple):
    """One item of a parsed feed, before it is stored."""

    guid: str
    title: str
    url: str | None
    published: dt.datetime | None
    author: str | None = None
    summary_html: str | None = None
    content_html: str | None = None


class ParsedFeed(NamedTuple):
    """A feed document turned into plain data."""

    title: str
    link: str | None
    entries: tuple[ParsedEntry, ...]
    parser: str = ""  # which parser produced it ("fast" or "feedparser"), for diagnostics


class Article(NamedTuple):
    """The main content of a web page, as Markdown with its metadata."""

    markdown: str
    title: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    image_url: str | None = None


class Feed(NamedTuple):
    id: int
    url: str
    title: str
    site_url: str | None = None
    full_text: bool = True  # fetch and extract the linked page for each new story
    last_checked: dt.datetime | None = None
    last_error: str | None = None
    unread: int = 0
    total: int = 0
    is_page_list: bool = False  # holds single pages the user added, not a real feed


class Story(NamedTuple):
    id: int
    feed_id: int
    feed_title: str
    title: str
    url: str | None
    published: dt.datetime | None
    author: str | None = None
    read: bool = False
    starred: bool = False
    fetched: dt.datetime | None = None


class StoryBody(NamedTuple):
    """What the article view needs for one story."""

    story: Story
    markdown: str
    image_url: str | None = None
    scroll: float = 0.0
    full_text: bool = False  # the body came from the page, not just the feed summary
    extract_error: str | None = None


class EntityKind(StrEnum):
    """The kinds of entity warreader shows in their own groups, in that order.

    Stored as their values; an entity's kind may also be another short word (the extractor's
    "misc", a reader's "unit"), shown after these.
    """

    PERSON = "person"
    PLACE = "place"
    ORGANIZATION = "organization"

    @property
    def label(self) -> str:
        """The kind in a sentence, British spelling: "person", "place", "organisation"."""
        return _KIND_WORDS[self][0]

    @property
    def plural(self) -> str:
        """A group's heading: "People", "Places", "Organisations"."""
        return _KIND_WORDS[self][1]

    @property
    def with_article(self) -> str:
        """"a person", "a place", "an organisation"."""
        return _KIND_WORDS[self][2]


_KIND_WORDS = {
    EntityKind.PERSON: ("person", "People", "a person"),
    EntityKind.PLACE: ("place", "Places", "a place"),
    EntityKind.ORGANIZATION: ("organisation", "Organisations", "an organisation"),
}


def kind_heading(kind: str) -> str:
    """A group's heading for any kind: "People" for "person", "Unit" for "unit"."""
    return EntityKind(kind).plural if kind in _KIND_VALUES else kind.capitalize()


_KIND_VALUES = frozenset(k.value for k in EntityKind)


def kind_order(kinds: set[str]) -> list[str]:
    """Kinds in the order they are shown: EntityKind's first, then any others by name."""
    return [k.value for k in EntityKind if k in kinds] + sorted(kinds - _KIND_VALUES)


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, place or organisation named in a text.

    `mentions` are (start, end) character offsets into the text that was analysed.
    """

    name: str
    kind: str  # an EntityKind value, or another short word ("misc", a reader's "unit")
    aliases: tuple[str, ...] = ()
    mentions: tuple[tuple[int, int], ...] = ()

    @property
    def count(self) -> int:
        return len(self.mentions)


class TimelineFact:
    """A dated fact: `date` is ISO 8601 at the precision the text supports (or a TimeML value).

    A plain class, not a named tuple: the TimeML scorers (../shared/eval/score_timex.py and
    the like) read a tuple as (start, end, value), so a fact must be read by its fields."""

    __slots__ = ("date", "entities", "relative", "sentence", "span")

    def __init__(self, date: str, span: tuple[int, int], sentence: str,
                 entities: tuple[str, ...] = (), relative: bool = False) -> None:
        self.date = date
        self.span = span
        self.sentence = sentence
        self.entities = entities
        self.relative = relative  # resolved from a relative expression ("on Monday")

    def _key(self) -> tuple[str, tuple[int, int], str, tuple[str, ...], bool]:
        return (self.date, self.span, self.sentence, self.entities, self.relative)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimelineFact) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"TimelineFact(date={self.date!r}, span={self.span!r}, "
                f"sentence={self.sentence!r}, entities={self.entities!r}, "
                f"relative={self.relative!r})")


class FeedResult(NamedTuple):
    """What refreshing one feed did."""

    feed_id: int
    url: str
    title: str
    status: FeedStatus
    new: int = 0
    error: str | None = None


class RefreshProgress(NamedTuple):
    done: int
    total: int
    current: str = ""
    failed: int = 0
    new_stories: int = 0


class RefreshSummary(NamedTuple):
    results: tuple[FeedResult, ...] = ()
    pages_fetched: int = 0
    pages_failed: int = 0
    cancelled: bool = False

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> tuple[FeedResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")


class Note(NamedTuple):
    """The reader's note on a story, optionally on a quoted passage of its Markdown body.

    `quote_start`/`quote_end` are character offsets into the body, like entity mentions.
    """

    id: int
    story_id: int
    text: str
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None


class Highlight(NamedTuple):
    """A highlighted passage: `start`/`end` are character offsets into the Markdown body."""

    id: int
    story_id: int
    start: int
    end: int
    text: str
    created: dt.datetime | None = None


class EntityCorrection(NamedTuple):
    """The reader's fix to one extracted entity of a story, applied whenever it is read.

    `action` is "remove", "retype" (to `kind`) or "merge" (into the entity named `target`).
    """

    id: int
    story_id: int
    name: str
    action: CorrectionAction
    kind: str | None = None
    target: str | None = None
    created: dt.datetime | None = None


class IndexedEntity(NamedTuple):
    """One entity across all stories. `key` identifies it to the entity detail and filters."""

    key: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    stories: int
    mentions: int
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
