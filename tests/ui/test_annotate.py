"""Pilot tests of annotating from the TUI: notes, highlights, passages, tags, entity
corrections and saving, against a real Store on tmp_path; and the text alignment that places
marks inside a rendered Markdown block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static, TextArea

from reader.config import Config
from reader.models import Entity, ParsedEntry
from reader.store import Store
from reader.ui.dialogs.annotate import (
    CorrectEntityDialog,
    NoteEditor,
    NotesDialog,
    SaveDialog,
    TagDialog,
    TagFilterDialog,
    complete_tag,
)
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feed_list import FeedList
from reader.ui.widgets.passages import align, rendered_range, sentences
from reader.ui.widgets.side_pane import EntityList
from reader.ui.widgets.story_list import StoryList
from tests.ui.support import (
    BODY,
    make_app,
    notices,
    open_story,
    press,
    screen_text,
    settle,
    spans,
)


def marked(article: ArticleView, kind: str) -> list[str]:
    """The words of the article shown with mark `kind` (hit, highlight, note, passage)."""
    out = []
    for seg in article.segments():
        content = seg.block.content  # what the block renders now
        out += [content.plain[s.start:s.end] for s in content.spans
                if s.style == f".article--{kind}"]
    return out


def choose(app: object, option_id: str) -> None:
    options = app.screen.query_one(OptionList)  # type: ignore[attr-defined]
    options.highlighted = options.get_option_index(option_id)


async def open_first(pilot) -> tuple[ArticleView, int]:  # type: ignore[no-untyped-def]
    await open_story(pilot)
    article = pilot.app.main.query_one(ArticleView)
    assert article.story_id is not None
    return article, article.story_id


# Passages and highlights ---------------------------------------------------------------------

async def test_highlight_a_sentence_shows_in_article_and_store(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        article, story_id = await open_first(pilot)
        await pilot.press("h")  # no passage yet: h starts the passage cursor
        assert article.passage_mode and app.focused is article
        assert store.highlights(story_id) == []
        await pilot.press("j")  # second sentence: the heading
        await pilot.press("j")
        passage = article.passage
        assert passage is not None and passage.text.startswith("Kovalenko told reporters")
        assert marked(article, "passage") == [passage.text]
        await press(pilot, "h")
        [high] = store.highlights(story_id)
        assert (high.start, high.end) == (passage.start, passage.end)
        assert BODY[high.start:high.end].startswith("Kovalenko told reporters")
        assert high.text == passage.text
        assert marked(article, "highlight") == [passage.text]
        # the mark has a visible style from the stylesheet
        assert article.get_visual_style("article--highlight", partial=True).background.a > 0
        assert "1 highlight" in screen_text(app)
        await pilot.press("escape")  # leave the passage cursor: the highlight stays
        await pilot.pause()
        assert not article.passage_mode and marked(article, "passage") == []
        assert marked(article, "highlight") == [passage.text]
        # reopening the story shows the highlight again
        app.main.query_one(StoryList).focus()
        await press(pilot, "j", "enter")
        assert marked(article, "highlight") == []
        await press(pilot, "k", "enter")
        assert marked(article, "highlight") == [passage.text]
        # h on the same passage removes it
        await pilot.press("v", "j", "j")
        await press(pilot, "h")
        assert store.highlights(story_id) == []
        assert marked(article, "highlight") == []


async def test_paragraph_keys_choose_whole_paragraphs(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        article, _ = await open_first(pilot)
        article.focus()
        await pilot.press("right_square_bracket")
        first = article.passage
        assert first is not None and first.paragraph
        assert first.text.startswith("The governor") and first.text.endswith("Kharkiv.")
        await pilot.press("right_square_bracket", "right_square_bracket")
        third = article.passage
        assert third is not None and third.paragraph
        assert third.text.startswith("Kovalenko told") and third.text.endswith("called for calm.")
        assert "[United Nations](" in BODY[third.start:third.end]  # offsets into the Markdown
        await pilot.press("j")  # into the paragraph: its first sentence
        assert article.passage is not None and not article.passage.paragraph
        assert article.passage.text == ("Kovalenko told reporters that the city council of "
                                        "Kharkiv had opened shelters.")
        await pilot.press("j")
        assert article.passage.text == "The United Nations called for calm."
        await pilot.press("escape")
        assert not article.passage_mode
        await pilot.press("escape")  # escape outside passage mode still reaches the screen
        assert app.focused is app.main.query_one(StoryList)


# Notes ---------------------------------------------------------------------------------------

async def test_note_on_story_edit_and_delete(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        _, story_id = await open_first(pilot)
        app.main.query_one(StoryList).focus()
        await press(pilot, "n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Check the [red]council[/] claim")
        await press(pilot, "ctrl+s")
        [note] = store.notes(story_id)
        assert note.text == "Check the [red]council[/] claim" and note.quote is None
        assert "1 note" in screen_text(app)
        # n again lists the notes; Enter on one edits it
        await press(pilot, "n")
        assert isinstance(app.screen, NotesDialog)
        assert "Check the [red]council[/] claim" in screen_text(app)  # literal, not markup
        choose(app, f"note:{note.id}")
        await press(pilot, "enter")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == note.text
        await pilot.press(*" again")
        await press(pilot, "ctrl+s")
        assert [n.text for n in store.notes(story_id)] == [note.text + " again"]
        # a second note, then delete the first
        await press(pilot, "n")
        choose(app, "new")
        await press(pilot, "enter")
        await pilot.press(*"Second")
        await press(pilot, "ctrl+s")
        assert len(store.notes(story_id)) == 2
        assert "2 notes" in screen_text(app)
        await press(pilot, "n")
        choose(app, f"note:{note.id}")
        await press(pilot, "enter")
        await pilot.click("#note-delete")
        await settle(pilot)
        assert [n.text for n in store.notes(story_id)] == ["Second"]
        assert isinstance(app.screen, MainScreen)


async def test_note_on_a_chosen_passage(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        article, story_id = await open_first(pilot)
        await pilot.press("v")
        passage = article.passage
        assert passage is not None and passage.text.startswith("The governor of the region")
        await press(pilot, "n")
        assert isinstance(app.screen, NoteEditor)
        assert "The governor of the region" in screen_text(app)  # the quote is shown
        await pilot.press(*"Who confirmed this?")
        await pilot.press("escape")  # cancel: nothing stored
        await settle(pilot)
        assert store.notes(story_id) == []
        await press(pilot, "n")
        await pilot.press(*"Who confirmed this?")
        await press(pilot, "ctrl+s")
        [note] = store.notes(story_id)
        assert note.quote == passage.text
        assert (note.quote_start, note.quote_end) == (passage.start, passage.end)
        assert BODY[note.quote_start:note.quote_end].startswith("The governor")
        assert marked(article, "note") == [passage.text]


# Tags ----------------------------------------------------------------------------------------

async def test_tags_autocomplete_and_filter_by_tag_and_starred(store: Store) -> None:
    others = [s.id for s in store.stories(limit=10)]
    store.add_tag(others[-1], "kharkiv")
    store.add_tag(others[-1], "kherson")
    store.add_tag(others[-2], "kharkiv")
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        feeds = app.main.query_one(FeedList)
        assert feeds.tags == [("kharkiv", 2), ("kherson", 1)]
        assert "#kharkiv" in screen_text(app)
        story = app.main.query_one(StoryList).current
        assert story is not None
        await press(pilot, "l")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"kha")
        await pilot.pause(0.2)
        field = app.screen.query_one(Input)
        assert field._suggestion == "kharkiv"  # shown greyed after the cursor
        matches = str(app.screen.query_one("#tag-matches", Static).content)
        assert "kharkiv (2)" in matches and "kherson" not in matches
        await pilot.press("tab")
        assert field.value == "kharkiv, "
        await pilot.press(*"war crimes")
        await press(pilot, "enter")
        assert store.tags(story.id) == ["kharkiv", "war-crimes"]
        assert ("kharkiv", 3) in feeds.tags and ("war-crimes", 1) in feeds.tags
        # choose the tag in the feed list
        feeds.focus()
        feeds.highlighted = feeds.get_option_index("tag:kharkiv")
        await press(pilot, "enter")
        stories = app.main.query_one(StoryList)
        assert stories.total == 3
        assert {s.id for _, s in stories.loaded_stories()} == {story.id, *others[-2:]}
        assert "#kharkiv" in str(stories.border_title)
        await press(pilot, "escape")
        assert stories.total == 6
        # L chooses a tag from the keyboard
        await press(pilot, "L")
        assert isinstance(app.screen, TagFilterDialog)
        choose(app, "tag:war-crimes")
        await press(pilot, "enter")
        assert stories.total == 1 and stories.current is not None
        assert stories.current.id == story.id
        # and starred
        await press(pilot, "asterisk")
        await press(pilot, "escape")
        await press(pilot, "L")
        choose(app, "starred")
        await press(pilot, "enter")
        assert stories.total == 1 and stories.current.id == story.id  # type: ignore[union-attr]
        # removing every tag of a story
        await press(pilot, "l")
        app.screen.query_one(Input).value = ""
        await press(pilot, "enter")
        assert store.tags(story.id) == []
        assert ("kharkiv", 2) in feeds.tags and all(t != "war-crimes" for t, _ in feeds.tags)


def test_complete_tag() -> None:
    known = ["kharkiv", "kherson", "Izium"]
    assert complete_tag("kh", known) == "kharkiv"
    assert complete_tag("war, khe", known) == "war, kherson"
    assert complete_tag("#iz", known) == "#Izium"
    assert complete_tag("kharkiv", known) is None
    assert complete_tag("war, ", known) is None
    assert complete_tag("zz", known) is None


# Entity corrections --------------------------------------------------------------------------

def pane_kinds(app: object) -> dict[str, str]:
    pane = app.main.query_one(EntityList)  # type: ignore[attr-defined]
    return {e.name: e.kind for e in pane.entities}


async def test_remove_retype_merge_entities(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        _, story_id = await open_first(pilot)
        assert pane_kinds(app) == {"Olena Kovalenko": "person", "Kharkiv": "place",
                                   "United Nations": "organization"}
        pane = app.main.query_one(EntityList)
        await pilot.press("e")
        pane.highlighted = pane.get_option_index("entity:2")  # United Nations
        await press(pilot, "c")
        assert isinstance(app.screen, CorrectEntityDialog)
        choose(app, "remove")
        await press(pilot, "enter")
        assert "United Nations" not in pane_kinds(app)
        assert all("United Nations" not in str(o.prompt) for o in pane.options)
        assert [(c.action, c.name) for c in store.corrections(story_id)] == [
            ("remove", "United Nations")]
        # retype Kharkiv as an organisation
        pane.focus()
        pane.highlighted = pane.get_option_index(
            f"entity:{[e.name for e in pane.entities].index('Kharkiv')}")
        await press(pilot, "c")
        choose(app, "kind:organization")
        await press(pilot, "enter")
        assert pane_kinds(app)["Kharkiv"] == "organization"
        assert "Organisations" in screen_text(app)
        # merge Kharkiv into Olena Kovalenko (silly, but it shows the merge)
        pane.highlighted = pane.get_option_index(
            f"entity:{[e.name for e in pane.entities].index('Kharkiv')}")
        await press(pilot, "c")
        dialog = app.screen
        assert isinstance(dialog, CorrectEntityDialog)
        choose(app, f"merge:{[e.name for e in dialog.others].index('Olena Kovalenko')}")
        await press(pilot, "enter")
        [merged] = pane.entities
        assert merged.name == "Olena Kovalenko" and "Kharkiv" in merged.aliases
        assert merged.count == len(spans(BODY, "Kharkiv")) + 3
        assert [c.action for c in store.corrections(story_id)] == [
            "remove", "retype", "merge"]
        # the corrections persist: reopen the story
        app.main.query_one(StoryList).focus()
        await press(pilot, "j", "enter")
        assert len(pane.entities) == 3
        await press(pilot, "k", "enter")
        assert [e.name for e in pane.entities] == ["Olena Kovalenko"]
        # undo the last one
        await press(pilot, "e", "c")
        choose(app, "undo")
        await press(pilot, "enter")
        assert pane_kinds(app) == {"Olena Kovalenko": "person", "Kharkiv": "organization"}
        assert [c.action for c in store.corrections(story_id)] == ["remove", "retype"]


async def test_correct_without_an_entity_warns(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "c")
        assert isinstance(app.screen, MainScreen)
        assert "pick a person" in notices(app)


# Saving --------------------------------------------------------------------------------------

async def test_save_all_three_formats(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    app = make_app(store, config=Config(save_dir=str(folder)))
    async with app.run_test(size=(140, 40)) as pilot:
        _, story_id = await open_first(pilot)
        store.add_note(story_id, "My own note")
        await press(pilot, "s")
        assert isinstance(app.screen, SaveDialog)
        assert app.screen.query_one(Input).value == str(folder)
        choose(app, "all")
        await press(pilot, "enter")
        files = sorted(p.name for p in folder.iterdir())
        assert [Path(f).suffix for f in files] == [".html", ".json", ".md"]
        assert all(f.startswith("2025-03-10-story-0-0") for f in files)
        md = next(folder.glob("*.md")).read_text()
        assert "Story 0-0" in md and "My own note" in md
        record = json.loads(next(folder.glob("*.json")).read_text())
        assert "My own note" in json.dumps(record)
        assert "<html" in next(folder.glob("*.html")).read_text().lower()
        assert f"in {folder}" in notices(app)
        # one format, to another folder typed in the dialog
        other = tmp_path / "other"
        await press(pilot, "s")
        app.screen.query_one(Input).value = str(other)
        choose(app, "json")
        await press(pilot, "enter")
        [saved] = list(other.iterdir())
        assert saved.suffix == ".json" and str(saved) in notices(app)


async def test_save_to_unusable_folder_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    app = make_app(store, config=Config(save_dir=str(blocker)))
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first(pilot)
        await press(pilot, "s")
        choose(app, "md")
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen) and app.is_running
        [note] = [n for n in app._notifications if n.severity == "error"]
        assert note.message == f"Cannot save into {blocker}: it is not a folder."
        assert blocker.read_text() == "a file"


# Marks for mentions and facts ----------------------------------------------------------------

async def test_mention_marks_the_words_and_fact_its_sentence(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        article, _ = await open_first(pilot)
        pane = app.main.query_one(EntityList)
        await pilot.press("e")
        pane.highlighted = pane.get_option_index("entity:1")  # Kharkiv
        await pilot.press("enter")
        await pilot.pause()
        assert marked(article, "hit") == ["Kharkiv"]
        assert article._marked is not None and not article._marked.has_class("-hit")
        await pilot.press("enter")
        await pilot.pause()
        assert marked(article, "hit") == ["Kharkiv"]
        assert "council of Kharkiv" in article._marked.content.plain
        pane.highlighted = pane.get_option_index("entity:2")
        await pilot.press("enter")
        await pilot.pause()
        assert marked(article, "hit") == ["United Nations"]  # the link text, not its target
        await pilot.press("t", "j", "enter")  # 2025-03-05: the sentence of the visit
        await pilot.pause()
        assert marked(article, "hit") == [
            "Repairs began on 3 March 2025, according to the council, and Kovalenko visited "
            "on 5 March."]


async def test_unplaceable_mention_marks_the_whole_block(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    body = "Intro about Izium.\n\n```\nIzium code\n```\n\nEnd."
    feed = store.add_feed("http://127.0.0.1:9/f.xml", "F")
    store.store_entries(feed.id, [ParsedEntry("g", "Code", None, None)], [body])
    [story] = store.stories()
    store.store_analysis(story.id, [Entity("Izium", "place", (), spans(body, "Izium"))], [])
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        article, _ = await open_first(pilot)
        await pilot.press("e", "enter")
        await pilot.pause()
        assert marked(article, "hit") == ["Izium"]
        await pilot.press("enter")  # the second mention is in a code block: marked whole
        await pilot.pause()
        assert marked(article, "hit") == []
        fence = article._marked
        assert fence is not None and fence.has_class("-hit")
        await pilot.press("enter")
        await pilot.pause()
        assert not fence.has_class("-hit") and marked(article, "hit") == ["Izium"]
    store.close()


# Alignment -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "rendered", "word"), [
    ("Plain words here.", "Plain words here.", "words"),
    ("The [United Nations](https://un.org/United) said.", "The United Nations said.",
     "United"),
    ("## What *really* happened", "What really happened", "happened"),
    ("- a **bold** claim\n  over two lines", "a bold claim over two lines", "two"),
    ("> quoted\n> Kharkiv text", "quoted Kharkiv text", "Kharkiv"),
    ("Tom &amp; Jerry in Izium", "Tom & Jerry in Izium", "Izium"),
    ("See [bar](http://x/bar)bar here", "See barbar here", "here"),
])
def test_align_places_source_words_in_rendered_text(source: str, rendered: str,
                                                    word: str) -> None:
    offsets = align(rendered, source)
    assert offsets is not None and len(offsets) == len(rendered)
    start = source.index(word)
    found = rendered_range(offsets, start, start + len(word))
    assert found is not None
    assert rendered[found[0]:found[1]] == word


def test_align_gives_up_on_unrelated_text() -> None:
    assert align("completely different words", "Nothing alike at all, 123") is None


def test_sentences_of_a_block() -> None:
    text = "Gen. Smith arrived. He left on Monday! Did he? Yes"
    assert [text[a:b] for a, b in sentences(text)] == [
        "Gen. Smith arrived.", "He left on Monday!", "Did he?", "Yes"]
