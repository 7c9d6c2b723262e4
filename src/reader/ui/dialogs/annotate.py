"""Dialogs for annotating a story: notes, tags, entity corrections, choosing a tag, saving.

They only gather the reader's choice and dismiss with it; the main screen does the store work
in its workers. Everything from the web or the reader (titles, quotes, note text, tags,
entity names) is shown as plain Content, never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reader.models import Entity, EntityCorrection, EntityKind, Note
from reader.text import clean_line
from reader.ui.dialogs.base import Dialog

KIND_NAMES = {k.value: k.with_article for k in EntityKind}
FORMATS = (("md", "Markdown (.md) with YAML front matter"), ("json", "JSON (.json)"),
           ("html", "HTML (.html), a page that opens anywhere"),
           ("all", "All three"))


# Notes -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoteEdit:
    """What the note editor decided: save `text`, or delete the note."""

    action: Literal["save", "delete"]
    text: str = ""


def quote_content(quote: str, limit: int = 300) -> Content:
    return Content.styled(f"“{clean_line(quote, limit)}”", "italic $text-muted")


class NoteEditor(Dialog[NoteEdit | None]):
    """Write a new note or change one; ctrl+s saves, Delete removes an existing note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note_save", priority=True),
    ]

    def __init__(self, *, text: str = "", quote: str | None = None, existing: bool = False
                 ) -> None:
        super().__init__()
        self.text = text
        self.quote = quote
        self.existing = existing

    def compose(self) -> ComposeResult:
        title = "Edit note" if self.existing else (
            "Note on the passage" if self.quote else "Note on the story")
        with Vertical(classes="dialog note-dialog"):
            yield Label(title, classes="dialog-title")
            if self.quote:
                yield Static(quote_content(self.quote), id="note-quote", classes="note-quote")
            yield TextArea(self.text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="note-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                if self.existing:
                    yield Button("Delete", variant="error", id="note-delete")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.query_one("#note-error", Static).update(
                Content("Write something first, or press Escape."))
            return
        self.dismiss(NoteEdit("save", text))

    @on(Button.Pressed, "#note-delete")
    def _delete(self) -> None:
        self.dismiss(NoteEdit("delete"))

    @on(Button.Pressed, "#note-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def note_prompt(note: Note) -> Content:
    parts: list[Content | str] = []
    if note.quote:
        parts += [quote_content(note.quote, 120), "\n"]
    parts.append(Content(clean_line(note.text, 300)))
    return Content.assemble(*parts)


@dataclass(frozen=True)
class NoteChoice:
    """The note chosen to edit; None for a new note on the story."""

    note: Note | None


class NotesDialog(Dialog[NoteChoice | None]):
    """A story's notes: Enter edits one (or writes a new one)."""

    def __init__(self, title: str, notes: list[Note]) -> None:
        super().__init__()
        self.story_title = title
        self.notes = notes

    def compose(self) -> ComposeResult:
        options: list[Option | None] = [Option(Content.styled("+ New note on the story", "bold"),
                                               id="new")]
        self.choices = {"new": NoteChoice(None)}
        for note in self.notes:
            options += [None, Option(note_prompt(note), id=f"note:{note.id}")]
            self.choices[f"note:{note.id}"] = NoteChoice(note)
        with Vertical(classes="dialog notes-dialog"):
            yield Label(Content.assemble("Notes on ", Content(clean_line(self.story_title, 60))),
                        classes="dialog-title")
            yield OptionList(*options, id="notes-list", markup=False)
            yield Label("Enter to edit or delete a note, Escape to close.", classes="dialog-help")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option.id or ""])


# Tags --------------------------------------------------------------------------------------

_LAST_WORD = re.compile(r"[^,\s]*$")


def complete_tag(value: str, known: list[str]) -> str | None:
    """`value` with its last tag completed from `known` (most used first), or None."""
    match = _LAST_WORD.search(value)
    word = match.group() if match else ""
    prefix = word.lstrip("#").casefold()
    if not prefix or match is None:
        return None
    for tag in known:
        if tag.casefold().startswith(prefix) and tag.casefold() != prefix:
            return value[:match.start()] + word[:len(word) - len(word.lstrip("#"))] + tag
    return None


class TagSuggester(Suggester):
    """Completes the tag being typed from the reader's existing tags."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        return complete_tag(value, self.known)


class TagDialog(Dialog[str | None]):
    """Edit a story's tags as one line ("kharkiv, war crimes"); Tab or → completes from the
    tags in use. Dismisses with the line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", id="tag_complete", priority=True),
    ]

    def __init__(self, title: str, current: list[str], known: list[tuple[str, int]]) -> None:
        super().__init__()
        self.story_title = title
        self.current = current
        self.known = known

    def compose(self) -> ComposeResult:
        names = [t for t, _ in self.known]
        with Vertical(classes="dialog"):
            yield Label(Content.assemble("Tags of ", Content(clean_line(self.story_title, 60))),
                        classes="dialog-title")
            value = ", ".join(self.current) + (", " if self.current else "")
            yield Input(value, placeholder="e.g. kharkiv, war-crimes", id="tags",
                        suggester=TagSuggester(names))
            yield Static("", id="tag-matches", classes="dialog-help")
            yield Label("Commas between tags. Tab completes. Enter saves, Escape cancels.",
                        classes="dialog-help")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        self._show_matches(field.value)

    def _show_matches(self, value: str) -> None:
        match = _LAST_WORD.search(value)
        prefix = (match.group() if match else "").lstrip("#").casefold()
        found = [(t, n) for t, n in self.known if t.casefold().startswith(prefix)][:8]
        text = Content("Your tags: ") + Content(", ".join(f"{t} ({n})" for t, n in found)) \
            if found else Content("")
        self.query_one("#tag-matches", Static).update(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._show_matches(event.value)

    def action_complete(self) -> None:
        field = self.query_one(Input)
        done = complete_tag(field.value, [t for t, _ in self.known])
        if done is not None:
            field.value = done + ", "
            field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


@dataclass(frozen=True)
class TagChoice:
    """The stories to list: those carrying `tag`, or the starred ones when it is None."""

    tag: str | None


class TagFilterDialog(Dialog[TagChoice | None]):
    """Choose a tag (or Starred) to list its stories."""

    def __init__(self, tags: list[tuple[str, int]], starred: int) -> None:
        super().__init__()
        self.tags = tags
        self.starred = starred

    def compose(self) -> ComposeResult:
        options: list[Option | None] = [Option(Content.assemble(
            Content.styled(f"{self.starred:>5} ", "$text-muted"), "★ Starred"), id="starred")]
        if self.tags:
            options.append(None)
        options += [Option(Content.assemble(Content.styled(f"{n:>5} ", "$text-muted"),
                                            Content(f"#{tag}")), id=f"tag:{tag}")
                    for tag, n in self.tags]
        self.choices = {"starred": TagChoice(None),
                        **{f"tag:{tag}": TagChoice(tag) for tag, _ in self.tags}}
        with Vertical(classes="dialog"):
            yield Label("Show stories by tag", classes="dialog-title")
            yield OptionList(*options, id="tag-list", markup=False)
            if not self.tags:
                yield Label("No tags yet: press l on a story to tag it.", classes="dialog-help")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option.id or ""])


# Entity corrections ------------------------------------------------------------------------

def describe(fix: EntityCorrection) -> str:
    name = clean_line(fix.name, 60)
    if fix.action == "remove":
        return f"removing {name}"
    if fix.action == "retype":
        return f"making {name} {KIND_NAMES.get(fix.kind or '', fix.kind or '?')}"
    return f"merging {name} into {clean_line(fix.target, 60)}"


@dataclass(frozen=True)
class EntityFix:
    """A fix to one extracted entity: remove it, give it another `kind`, merge it `into`
    another entity's name, or undo the story's last correction."""

    action: Literal["remove", "retype", "merge", "undo"]
    kind: str | None = None
    into: str | None = None


class CorrectEntityDialog(Dialog[EntityFix | None]):
    """Fix one extracted entity: remove it, change its kind, merge it into another, or undo
    the last fix."""

    def __init__(self, entity: Entity, others: list[Entity],
                 last: EntityCorrection | None) -> None:
        super().__init__()
        self.entity = entity
        self.others = others
        self.last = last

    def compose(self) -> ComposeResult:
        name = clean_line(self.entity.name, 60)
        options: list[Option | None] = [
            Option(Content.assemble("Remove ", Content.styled(name, "bold"),
                                    ": it is not a name"), id="remove")]
        options += [Option(f"Make it {label}", id=f"kind:{kind}")
                    for kind, label in KIND_NAMES.items() if kind != self.entity.kind]
        if self.others:
            options.append(None)
        options += [Option(Content.assemble("Merge into ", Content(clean_line(o.name, 60))),
                           id=f"merge:{i}") for i, o in enumerate(self.others)]
        if self.last is not None:
            options += [None, Option(Content.styled(f"Undo {describe(self.last)}",
                                                    "$text-warning"), id="undo")]
        self.choices = {"remove": EntityFix("remove"), "undo": EntityFix("undo"),
                        **{f"kind:{kind}": EntityFix("retype", kind=kind) for kind in KIND_NAMES},
                        **{f"merge:{i}": EntityFix("merge", into=o.name)
                           for i, o in enumerate(self.others)}}
        with Vertical(classes="dialog"):
            yield Label(Content.assemble("Correct ", Content(name)), classes="dialog-title")
            yield OptionList(*options, id="correct-list", markup=False)
            yield Label("Corrections are kept for this story, even if it is analysed again.",
                        classes="dialog-help")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option.id or ""])


# Saving ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SaveChoice:
    formats: tuple[str, ...]
    folder: str


class SaveDialog(Dialog[SaveChoice | None]):
    """Choose a format (or all three) and the folder; Enter on a format saves."""

    def __init__(self, title: str, folder: str) -> None:
        super().__init__()
        self.story_title = title
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content.assemble("Save ", Content(clean_line(self.story_title, 60))),
                        classes="dialog-title")
            yield OptionList(*(Option(label, id=fmt) for fmt, label in FORMATS),
                             id="save-formats", markup=False)
            yield Label("Folder", classes="dialog-help")
            yield Input(self.folder, id="save-folder")
            yield Label("Enter on a format saves; Tab moves to the folder. Escape cancels.",
                        classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        fmt = event.option.id or "md"
        formats = ("md", "json", "html") if fmt == "all" else (fmt,)
        folder = self.query_one(Input).value.strip() or self.folder
        self.dismiss(SaveChoice(formats, folder))

    @on(Input.Submitted)
    def _submit(self) -> None:
        self.query_one(OptionList).focus()
