"""The side pane: the open story's entities (by kind, most salient first) and its timeline
(oldest first). Shows a plain line when the core found nothing, never invented data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Entity, EntityKind, TimelineFact
from reader.text import clean_line
from reader.ui.messages import EntityChosen, FactChosen

KINDS = tuple((k.value, k.plural) for k in EntityKind)
ItemT = TypeVar("ItemT")

_MOVES: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="move_down"),
    Binding("k", "cursor_up", "Up", show=False, id="move_up"),
]


def group_entities(entities: list[Entity]) -> list[tuple[str, list[Entity]]]:
    """Entities by kind (People, Places, Organisations, then Other), each group keeping the
    core's salience order."""
    groups: dict[str, list[Entity]] = {label: [] for _, label in KINDS}
    names = dict(KINDS)
    for entity in entities:
        groups.setdefault(names.get(entity.kind, "Other"), []).append(entity)
    return [(label, items) for label, items in groups.items() if items]


def sort_facts(facts: list[TimelineFact]) -> list[TimelineFact]:
    """Oldest first; facts keep their order in the story when dates tie."""
    return sorted(facts, key=lambda f: f.date)


def muted(text: str) -> Option:
    return Option(Content.styled(text, "$text-muted"), disabled=True)


class PaneList(OptionList, Generic[ItemT]):
    """A list of the side pane: the open story's items, or a line saying why there are
    none. Enter posts the highlighted item's message. Subclasses say how items are ordered,
    shown and announced, and what the empty lines say."""

    BINDINGS: ClassVar[list[BindingType]] = list(_MOVES)
    # When no story is open; when the story is not analysed yet; when nothing was found.
    EMPTY: ClassVar[tuple[str, str, str]]
    # Option ids are "<KIND>:<index in items>".
    KIND: ClassVar[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.items: list[ItemT] = []
        self._by_option: dict[str, ItemT] = {}

    def show(self, items: list[ItemT] | None, *, analysed: bool = True) -> None:
        """The items of the open story; None while no story is open."""
        self.items = self.ordered(items) if items is not None else []
        options: list[Option | None] = []
        if items is None:
            options.append(muted(self.EMPTY[0]))
        elif not self.items:
            options.append(muted(self.EMPTY[2] if analysed else self.EMPTY[1]))
        self._by_option = {}
        index = {id(item): i for i, item in enumerate(self.items)}
        for entry in self.entries(self.items):
            if isinstance(entry, tuple):
                option_id = f"{self.KIND}:{index[id(entry[0])]}"
                self._by_option[option_id] = entry[0]
                options.append(Option(entry[1], id=option_id))
            else:
                options.append(entry)
        self.set_options(options)
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    def ordered(self, items: list[ItemT]) -> list[ItemT]:
        """The items to list, in order."""
        return items

    def entries(self, items: list[ItemT]) -> Iterator[tuple[ItemT, Content] | Option | None]:
        """What the list shows, in order: each item with its prompt, and any headings
        (disabled options) and separators (None) between them."""
        raise NotImplementedError

    def chosen(self, item: ItemT) -> Message:
        """The message that says `item` was chosen."""
        raise NotImplementedError

    @property
    def selected(self) -> ItemT | None:
        option = self.highlighted_option
        return self._by_option.get(option.id or "") if option is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.selected
        if item is not None:
            self.post_message(self.chosen(item))


class EntityList(PaneList[Entity]):
    """The open story's entities by kind, each kind in the core's salience order."""

    KIND = "entity"
    EMPTY = ("Open a story to see who and where.",
             "Not analysed yet: the next refresh finds who and where.", "No entities found.")

    @property
    def entities(self) -> list[Entity]:
        return self.items

    def entries(self, items: list[Entity]) -> Iterator[tuple[Entity, Content] | Option | None]:
        for number, (label, group) in enumerate(group_entities(items)):
            if number:
                yield None
            yield Option(Content.styled(label, "bold $text-accent"), disabled=True)
            for entity in group:
                yield entity, Content.assemble(
                    Content(clean_line(entity.name, 80)),
                    Content.styled(f"  {entity.count}", "$text-muted"))

    def chosen(self, item: Entity) -> Message:
        return EntityChosen(item)


class TimelineList(PaneList[TimelineFact]):
    """The open story's dated facts, oldest first."""

    KIND = "fact"
    EMPTY = ("Open a story to see its dates.", "Not analysed yet.", "No dated events found.")

    @property
    def facts(self) -> list[TimelineFact]:
        return self.items

    def ordered(self, items: list[TimelineFact]) -> list[TimelineFact]:
        # Imported with the first story opened: the start of the reader shows no dates.
        from reader.nlp.datewords import readable

        # "recently", "now": no point in time a reader could use, so not listed; a sentence
        # dated the same twice is listed once.
        kept = {(f.sentence, f.date): f for f in reversed(items) if readable(f.date)}
        return sort_facts(list(kept.values())[::-1])

    def entries(self, items: list[TimelineFact]
                ) -> Iterator[tuple[TimelineFact, Content] | Option | None]:
        from reader.nlp.datewords import readable

        for fact in items:
            date = Content.styled(clean_line(readable(fact.date) or "", 24), "bold $text-accent")
            if fact.relative:
                date = Content.assemble(date, Content.styled(" (relative)", "$text-muted"))
            yield fact, Content.assemble(date, "\n", Content(clean_line(fact.sentence, 2000)))

    def chosen(self, item: TimelineFact) -> Message:
        return FactChosen(item)
