"""The main screen's annotation actions: notes, highlights, tags, entity corrections and
saving. MainScreen inherits them; the dialogs live in dialogs/annotate.py and every store call
runs in a thread worker, which posts what it found back as a message. A worker that fails
is reported by `ReaderScreen` in the words of its description.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from reader.models import Entity, EntityCorrection, Highlight, Note, Story
from reader.text import clean_line
from reader.ui.data.sources import TagSource
from reader.ui.messages import FeedChosen, Notice, TagChosen
from reader.ui.screens.base import ReaderScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.article_passages import Passage
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.side_pane import EntityList

if TYPE_CHECKING:
    from reader.ui.data.sources import StorySource
    from reader.ui.dialogs.annotate import EntityFix, NoteChoice, NoteEdit, SaveChoice, TagChoice
    from reader.ui.widgets.story_list import StoryList


class AnnotatingScreen(ReaderScreen[None]):
    """Annotation actions of the main screen (which supplies the members declared below)."""

    if TYPE_CHECKING:
        source: StorySource | None

        @property
        def stories(self) -> StoryList: ...

        def target(self) -> Story | None: ...

        def reload(self, source: StorySource, *, keep: bool = False) -> None: ...

    # What the workers found, posted back to the screen.

    class AnnotationsRead(Message):
        def __init__(self, story_id: int, highlights: list[Highlight], notes: list[Note],
                     tags: list[str]) -> None:
            super().__init__()
            self.story_id = story_id
            self.highlights = highlights
            self.notes = notes
            self.tags = tags

    class NotesRead(Message):
        def __init__(self, story: Story, notes: list[Note]) -> None:
            super().__init__()
            self.story = story
            self.notes = notes

    class TagsRead(Message):
        def __init__(self, story: Story, current: list[str], known: list[tuple[str, int]]) -> None:
            super().__init__()
            self.story = story
            self.current = current
            self.known = known  # every tag in use, with its number of stories

    class TagsSet(Message):
        def __init__(self, story_id: int, stored: list[str], known: list[tuple[str, int]]) -> None:
            super().__init__()
            self.story_id = story_id
            self.stored = stored
            self.known = known

    class TagFilterRead(Message):
        def __init__(self, known: list[tuple[str, int]], starred: int) -> None:
            super().__init__()
            self.known = known
            self.starred = starred

    class CorrectionsRead(Message):
        def __init__(self, story_id: int, entity: Entity, others: list[Entity],
                     undo: EntityCorrection | None) -> None:
            super().__init__()
            self.story_id = story_id
            self.entity = entity
            self.others = others
            self.undo = undo  # the story's last correction

    class EntityCorrected(Message):
        def __init__(self, story_id: int, entities: list[Entity], word: str) -> None:
            super().__init__()
            self.story_id = story_id
            self.entities = entities
            self.word = word

    @property
    def _reading(self) -> ArticleView:
        return self.query_one(ArticleView)

    def _warn(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)

    # Annotations of the open story -------------------------------------------------------

    def load_annotations(self, story_id: int) -> None:
        """Show the story's highlights, notes and tags in the article (from a worker)."""
        self._load_annotations(story_id)

    @work(thread=True, group="annotations", exit_on_error=False,
          description="reading the story's notes and highlights")
    def _load_annotations(self, story_id: int) -> None:
        self._push_annotations(story_id)

    def _push_annotations(self, story_id: int) -> None:
        """In a worker: read the story's annotations for the article."""
        store = self.reader_app.store
        self.post_message(self.AnnotationsRead(story_id, store.highlights(story_id),
                                               store.notes(story_id), store.tags(story_id)))

    @on(AnnotationsRead)
    def _annotations_read(self, event: AnnotationsRead) -> None:
        self._reading.set_annotations(event.story_id, event.highlights, event.notes, event.tags)

    # Passages and highlights --------------------------------------------------------------

    def action_select_passage(self) -> None:
        article = self._reading
        if article.body is None:
            self._warn("Open a story first (Enter), then choose a passage.")
        elif article.passage_mode:
            article.stop_passage()
        else:
            article.focus()
            if not article.start_passage():
                self._warn("This story has no text to choose from.")

    def action_highlight(self) -> None:
        article = self._reading
        passage = article.passage
        if article.body is None:
            self._warn("Open a story first (Enter), then press h to highlight.")
        elif passage is None:
            article.focus()
            if article.start_passage():
                self.notify("Choose the passage: j/k by sentence, [ ] by paragraph; "
                            "then h highlights it.", timeout=5)
            else:
                self._warn("This story has no text to highlight.")
        else:
            self._toggle_highlight(article.body.story.id, passage)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="highlighting the passage")
    def _toggle_highlight(self, story_id: int, passage: Passage) -> None:
        store = self.reader_app.store
        if store.remove_highlights_at(story_id, passage.start, passage.end):
            word = "Highlight removed."
        else:
            store.add_highlight(story_id, passage.start, passage.end, passage.text)
            word = "Highlighted."
        self._push_annotations(story_id)
        self.post_message(Notice(word, timeout=2))

    # Notes --------------------------------------------------------------------------------

    def action_note(self) -> None:
        from reader.ui.dialogs.annotate import NoteEditor

        article = self._reading
        passage = article.passage
        if passage is not None and article.body is not None:
            self.app.push_screen(NoteEditor(quote=passage.text),
                                 partial(self._note_done, article.body.story.id, None, passage))
            return
        story = self.target()
        if story is None:
            self._warn("Choose a story first.")
            return
        self._notes_of(story)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="reading the story's notes")
    def _notes_of(self, story: Story) -> None:
        self.post_message(self.NotesRead(story, self.reader_app.store.notes(story.id)))

    @on(NotesRead)
    def _choose_note(self, event: NotesRead) -> None:
        from reader.ui.dialogs.annotate import NoteEditor, NotesDialog

        story, found = event.story, event.notes
        if not found:
            self.app.push_screen(NoteEditor(), partial(self._note_done, story.id, None, None))
            return

        def chosen(choice: NoteChoice | None) -> None:
            if choice is None:
                return
            note = choice.note
            if note is None:
                self.app.push_screen(NoteEditor(),
                                     partial(self._note_done, story.id, None, None))
            else:
                self.app.push_screen(NoteEditor(text=note.text, quote=note.quote, existing=True),
                                     partial(self._note_done, story.id, note, None))

        self.app.push_screen(NotesDialog(story.title, found), chosen)

    def _note_done(self, story_id: int, note: Note | None, passage: Passage | None,
                   edit: NoteEdit | None) -> None:
        if edit is not None:
            self._write_note(story_id, note, passage, edit)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="saving the note")
    def _write_note(self, story_id: int, note: Note | None, passage: Passage | None,
                    edit: NoteEdit) -> None:
        store = self.reader_app.store
        if note is not None and edit.action == "delete":
            store.delete_note(note.id)
            word = "Note deleted."
        elif note is not None:
            store.edit_note(note.id, edit.text)
            word = "Note saved."
        elif passage is not None:
            store.add_note(story_id, edit.text, passage.text, passage.start, passage.end)
            word = "Note on the passage added."
        else:
            store.add_note(story_id, edit.text)
            word = "Note added."
        self._push_annotations(story_id)
        self.post_message(Notice(word, timeout=2))

    # Tags ---------------------------------------------------------------------------------

    def action_tags(self) -> None:
        story = self.target()
        if story is None:
            self._warn("Choose a story first.")
            return
        self._ask_tags(story)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="reading the tags")
    def _ask_tags(self, story: Story) -> None:
        store = self.reader_app.store
        self.post_message(self.TagsRead(story, store.tags(story.id), store.all_tags()))

    @on(TagsRead)
    def _tag_dialog(self, event: TagsRead) -> None:
        from reader.ui.dialogs.annotate import TagDialog

        story = event.story
        def chosen(line: str | None) -> None:
            if line is not None:
                self._set_tags(story.id, line)

        self.app.push_screen(TagDialog(story.title, event.current, event.known), chosen)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="tagging the story")
    def _set_tags(self, story_id: int, line: str) -> None:
        from reader.store.annotations import parse_tags

        store = self.reader_app.store
        stored = store.set_tags(story_id, parse_tags(line))
        self.post_message(self.TagsSet(story_id, stored, store.all_tags()))
        self._push_annotations(story_id)  # shown if the story is open

    @on(TagsSet)
    def _tags_set(self, event: TagsSet) -> None:
        stored = event.stored
        self.query_one(FeedList).set_tags(event.known)
        if isinstance(self.source, TagSource):
            self.reload(self.source, keep=True)
        shown = " ".join(f"#{t}" for t in stored)
        self.notify(f"Tags: {shown}" if stored else "No tags.", markup=False, timeout=3)

    def action_filter_tag(self) -> None:
        self._ask_filter()

    @work(thread=True, group="annotate", exit_on_error=False,
          description="reading the tags")
    def _ask_filter(self) -> None:
        store = self.reader_app.store
        self.post_message(self.TagFilterRead(store.all_tags(), store.count_stories(starred=True)))

    @on(TagFilterRead)
    def _filter_dialog(self, event: TagFilterRead) -> None:
        from reader.ui.dialogs.annotate import TagFilterDialog

        def chosen(choice: TagChoice | None) -> None:
            if choice is None:
                return
            if choice.tag is None:
                self.post_message(FeedChosen(None, "starred", "Starred"))
            else:
                self.show_tag(choice.tag)

        self.app.push_screen(TagFilterDialog(event.known, event.starred), chosen)

    def on_tag_chosen(self, event: TagChosen) -> None:
        event.stop()
        self.show_tag(event.tag)

    def show_tag(self, tag: str) -> None:
        """List the stories carrying `tag` (Escape returns to the feed view)."""
        self.source = TagSource(self.reader_app.store, tag)
        self.reload(self.source)
        self.stories.focus()

    # Entity corrections -------------------------------------------------------------------

    def action_correct_entity(self) -> None:
        pane = self.query_one(EntityList)
        entity, story_id = pane.selected, self._reading.story_id
        if entity is None or story_id is None:
            self._warn("Open a story and pick a person, place or organisation first (e).")
            return
        others = [e for e in pane.entities if e is not entity]
        self._ask_correction(story_id, entity, others)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="reading the entity corrections")
    def _ask_correction(self, story_id: int, entity: Entity, others: list[Entity]) -> None:
        fixes = self.reader_app.store.corrections(story_id)
        self.post_message(self.CorrectionsRead(story_id, entity, others,
                                               fixes[-1] if fixes else None))

    @on(CorrectionsRead)
    def _correction_dialog(self, event: CorrectionsRead) -> None:
        from reader.ui.dialogs.annotate import CorrectEntityDialog

        story_id, entity, undo = event.story_id, event.entity, event.undo

        def chosen(fix: EntityFix | None) -> None:
            if fix is not None:
                self._correct(story_id, entity.name, fix, undo.id if undo else None)

        self.app.push_screen(CorrectEntityDialog(entity, event.others, undo), chosen)

    @work(thread=True, group="annotate", exit_on_error=False,
          description="correcting the entity")
    def _correct(self, story_id: int, name: str, fix: EntityFix, undo_id: int | None) -> None:
        store = self.reader_app.store
        shown = clean_line(name, 60)
        if fix.action == "remove":
            store.remove_entity(story_id, name)
            word = f"Removed {shown}."
        elif fix.action == "retype" and fix.kind is not None:
            store.retype_entity(story_id, name, fix.kind)
            word = f"{shown} is now a {fix.kind}."
        elif fix.action == "merge" and fix.into is not None:
            store.merge_entities(story_id, name, fix.into)
            word = f"Merged {shown} into {clean_line(fix.into, 60)}."
        elif fix.action == "undo" and undo_id is not None:
            store.undo_correction(undo_id)
            word = "Correction undone."
        else:
            return
        entities = store.corrected_entities(story_id)
        self.post_message(self.EntityCorrected(story_id, entities, word))

    @on(EntityCorrected)
    def _corrected(self, event: EntityCorrected) -> None:
        if self._reading.story_id == event.story_id:
            self.query_one(EntityList).show(event.entities)
        self.notify(event.word, markup=False, timeout=3)

    # Saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        from reader.export.files import save_folder
        from reader.paths import default_paths
        from reader.ui.dialogs.annotate import SaveDialog

        story = self.target()
        if story is None:
            self._warn("Choose a story first.")
            return
        app = self.reader_app
        folder = save_folder(app.paths or default_paths(), app.config)

        def chosen(choice: SaveChoice | None) -> None:
            if choice is not None:
                self._save(story.id, choice)

        self.app.push_screen(SaveDialog(story.title, str(folder)), chosen)

    @work(thread=True, group="save", exit_on_error=False,
          description="saving the story")
    def _save(self, story_id: int, choice: SaveChoice) -> None:
        from reader.export.files import UnrecordedSave, save_story

        folder = Path(choice.folder).expanduser()
        written: list[Path] = []
        try:
            for fmt in choice.formats:
                written.append(save_story(self.reader_app.store, story_id, fmt=fmt,
                                          folder=folder))
        except UnrecordedSave as exc:  # written, but the cache could not note it
            self.post_message(Notice(str(exc), timeout=10, severity="warning"))
            return
        if len(written) == 1:
            text = f"Saved {written[0]}"
        else:
            text = f"Saved {', '.join(p.name for p in written)} in {written[0].parent}"
        self.post_message(Notice(text, timeout=6))
