"""The article's passage cursor: the reader chooses a sentence or a paragraph of the story
with the keyboard (`v`, then j/k by sentence, [ ] by paragraph, Escape to leave), for a note
or a highlight. Blocks are `Segment`s: a rendered Markdown block with inline text, placed in
the Markdown source by `reader.ui.widgets.passages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from textual.actions import SkipAction
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget

from reader.ui.widgets.passages import align, sentences, source_range

if TYPE_CHECKING:
    from textual.widgets.markdown import MarkdownBlock

    from reader.models import StoryBody

PASSAGE_HINT = "j/k sentence · [ ] paragraph · n note · h highlight · esc done"


@dataclass(eq=False)
class Segment:
    """One rendered block with inline text, and where it sits in the Markdown source."""

    block: MarkdownBlock
    top: Widget  # the top-level block holding it: scrolled to and marked whole as a fallback
    start: int
    end: int
    plain: str
    source: str
    _offsets: list[int] | None = None
    _aligned: bool = False
    _sentences: list[tuple[int, int]] | None = field(default=None)

    @property
    def offsets(self) -> list[int] | None:
        """Source offset of each rendered character, or None if the block cannot be aligned."""
        if not self._aligned:
            self._aligned = True
            found = align(self.plain, self.source)
            self._offsets = None if found is None else [self.start + o for o in found]
        return self._offsets

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = sentences(self.plain) if self.offsets and self.plain.strip() else []
        return self._sentences


class Passage(NamedTuple):  # not a dataclass: cheaper to define at every start
    """The chosen passage: offsets into the Markdown body and its text as shown."""

    start: int
    end: int
    text: str
    paragraph: bool


class PassageCursor(VerticalScroll):
    """The passage cursor of ArticleView, which supplies the members declared below."""

    if TYPE_CHECKING:
        body: StoryBody | None
        _cursor: tuple[int, int | None] | None  # (segment, sentence or None: whole paragraph)

        def segments(self) -> list[Segment]: ...

        def _decorate(self) -> None: ...

    def _choosable(self) -> list[Segment]:
        return [s for s in self.segments() if s.sentences]

    @property
    def passage_mode(self) -> bool:
        return self._cursor is not None

    @property
    def passage(self) -> Passage | None:
        """The passage under the cursor, or None outside passage mode."""
        if self._cursor is None:
            return None
        segs = self._choosable()
        index, sentence = self._cursor
        if not 0 <= index < len(segs):
            return None
        seg = segs[index]
        assert seg.offsets is not None
        if sentence is None:
            a, b = seg.sentences[0][0], seg.sentences[-1][1]
        else:
            a, b = seg.sentences[min(sentence, len(seg.sentences) - 1)]
        start, end = source_range(seg.offsets, a, b)
        return Passage(start, end, seg.plain[a:b].strip(), sentence is None)

    def start_passage(self) -> bool:
        """Enter passage mode on the first sentence in view; False if there is no text."""
        segs = self._choosable()
        if self.body is None or not segs:
            return False
        top = self.content_region.y
        index = next((i for i, s in enumerate(segs)
                      if s.block.region.height and s.block.region.bottom > top), 0)
        self._cursor = (index, 0)
        self._moved()
        return True

    def stop_passage(self) -> None:
        if self._cursor is not None:
            self._cursor = None
            self.border_subtitle = ""
            self._decorate()

    def move_passage(self, step: int, *, paragraph: bool = False) -> None:
        """Move the cursor `step` sentences, or `step` paragraphs (choosing whole ones)."""
        segs = self._choosable()
        if self._cursor is None or not segs:
            return
        index, sentence = self._cursor
        if paragraph:
            if sentence is not None and step < 0:
                index += 1  # from inside a paragraph, [ chooses that paragraph whole
            self._cursor = (max(0, min(len(segs) - 1, index + step)), None)
        elif sentence is None:
            if step > 0:
                self._cursor = (index, 0)
            elif index > 0:
                self._cursor = (index - 1, len(segs[index - 1].sentences) - 1)
        else:
            sentence += step
            if sentence >= len(segs[index].sentences):
                if index + 1 < len(segs):
                    index, sentence = index + 1, 0
                else:
                    sentence -= step
            elif sentence < 0:
                if index > 0:
                    index -= 1
                    sentence = len(segs[index].sentences) - 1
                else:
                    sentence = 0
            self._cursor = (index, sentence)
        self._moved()

    def _moved(self) -> None:
        assert self._cursor is not None
        index, sentence = self._cursor
        unit = "Paragraph" if sentence is None else "Sentence"
        self.border_subtitle = Content.assemble(Content.styled(unit, "bold"), " · ",
                                                PASSAGE_HINT)
        self._decorate()
        segs = self._choosable()
        if 0 <= index < len(segs):
            self.scroll_to_widget(segs[index].block, animate=False, immediate=True)

    def action_line_down(self) -> None:
        if self._cursor is not None:
            self.move_passage(1)
        else:
            self.scroll_down()

    def action_line_up(self) -> None:
        if self._cursor is not None:
            self.move_passage(-1)
        else:
            self.scroll_up()

    def action_paragraph(self, step: int) -> None:
        if self._cursor is None:  # entering: the paragraph in view, whole
            if self.start_passage() and self._cursor is not None:
                self._cursor = (self._cursor[0], None)
                self._moved()
            return
        self.move_passage(step, paragraph=True)

    def action_leave_passage(self) -> None:
        if self._cursor is None:
            raise SkipAction()
        self.stop_passage()
