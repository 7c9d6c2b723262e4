"""The side pane: the open story's entities (by kind, most salient first) and its timeline
(oldest first). Shows a plain line when the core found nothing, never invented data."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Entity, EntityKind, TimelineFact
from reader.nlp.datewords import readable
from reader.text import clean_line
from reader.ui.messages import EntityChosen, FactChosen

KINDS = tuple((k.value, k.plural) for k in EntityKind)

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


class EntityList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = list(_MOVES)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.entities: list[Entity] = []

    def show(self, entities: list[Entity] | None, *, analysed: bool = True) -> None:
        """The entities of the open story; None while no story is open."""
        self.entities = entities or []
        options: list[Option | None] = []
        if entities is None:
            options.append(Option(Content.styled("Open a story to see who and where.",
                                                 "$text-muted"), disabled=True))
        elif not entities and not analysed:
            options.append(Option(Content.styled(
                "Not analysed yet: the next refresh finds who and where.", "$text-muted"),
                disabled=True))
        elif not entities:
            options.append(Option(Content.styled("No entities found.", "$text-muted"),
                                  disabled=True))
        for label, items in group_entities(self.entities):
            if options:
                options.append(None)
            options.append(Option(Content.styled(label, "bold $text-accent"), disabled=True))
            for entity in items:
                index = self.entities.index(entity)
                options.append(Option(Content.assemble(
                    Content(clean_line(entity.name, 80)),
                    Content.styled(f"  {entity.count}", "$text-muted"),
                ), id=f"entity:{index}"))
        self.set_options(options)
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    @property
    def selected(self) -> Entity | None:
        option = self.highlighted_option
        if option is None or not (option.id or "").startswith("entity:"):
            return None
        return self.entities[int((option.id or "")[7:])]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity = self.selected
        if entity is not None:
            self.post_message(EntityChosen(entity))


def sort_facts(facts: list[TimelineFact]) -> list[TimelineFact]:
    """Oldest first; facts keep their order in the story when dates tie."""
    return sorted(facts, key=lambda f: f.date)


class TimelineList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = list(_MOVES)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.facts: list[TimelineFact] = []

    def show(self, facts: list[TimelineFact] | None, *, analysed: bool = True) -> None:
        # "recently", "now": no point in time a reader could use, so not listed
        facts = None if facts is None else list(
            {(f.sentence, f.date): f for f in reversed(facts) if readable(f.date)}.values())[::-1]
        self.facts = sort_facts(facts or [])
        options: list[Option | None] = []
        if facts is None:
            options.append(Option(Content.styled("Open a story to see its dates.",
                                                 "$text-muted"), disabled=True))
        elif not facts and not analysed:
            options.append(Option(Content.styled("Not analysed yet.", "$text-muted"),
                                  disabled=True))
        elif not facts:
            options.append(Option(Content.styled("No dated events found.", "$text-muted"),
                                  disabled=True))
        for index, fact in enumerate(self.facts):
            date = Content.styled(clean_line(readable(fact.date) or "", 24), "bold $text-accent")
            if fact.relative:
                date = Content.assemble(date, Content.styled(" (relative)", "$text-muted"))
            options.append(Option(Content.assemble(
                date, "\n", Content(clean_line(fact.sentence, 2000))), id=f"fact:{index}"))
        self.set_options(options)
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    @property
    def selected(self) -> TimelineFact | None:
        option = self.highlighted_option
        if option is None or not (option.id or "").startswith("fact:"):
            return None
        return self.facts[int((option.id or "")[5:])]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        fact = self.selected
        if fact is not None:
            self.post_message(FactChosen(fact))
