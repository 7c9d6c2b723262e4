"""The story being read: a header (title, source, author, date, link, the reader's notes and
tags) and the Markdown body.

Links in the body never open by themselves: a click posts `LinkChosen` and the screen asks.
Entity mentions, timeline facts, highlights and quoted notes are character offsets into the
Markdown; `reader.ui.widgets.passages` finds the words they cover inside each rendered
block, which is then restyled with a span (a block that cannot be aligned, such as a code
block, is marked whole). A passage cursor (`v`, then j/k by sentence, [ ] by paragraph)
chooses what a note or highlight applies to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from reader.models import Highlight, Note, StoryBody
from reader.text import clean_line, strip_controls
from reader.ui.data.timefmt import full_date
from reader.ui.messages import LinkChosen
from reader.ui.widgets.article_passages import PassageCursor, Segment
from reader.ui.widgets.passages import (
    line_range,
    line_starts,
    rendered_range,
    sentence_at,
    source_range,
)

if TYPE_CHECKING:
    from textual.widgets import Markdown
    from textual.widgets.markdown import MarkdownBlock

# The first screenful is rendered at once, the rest right after: a long story shows in one
# frame instead of waiting for every block to be laid out.
FIRST_CHUNK = 2500
# Marks in the order they are painted: a later one shows over an earlier one.
KINDS = ("search", "highlight", "note", "passage", "hit")


def term_spans(text: str, query: str, limit: int = 500) -> list[tuple[int, int]]:
    """Where the words of a search `query` occur in `text`, as the search matches them:
    whole words regardless of case, the last word also as the start of a longer one."""
    import re

    words = re.findall(r"\w[\w'-]*", query)
    if not words:
        return []
    alternatives = [re.escape(w) + r"\b" for w in words[:-1]] + [re.escape(words[-1]) + r"\w*"]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)][:limit]


def split_markdown(text: str, at: int = FIRST_CHUNK) -> tuple[str, str]:
    """`text` cut at the first blank line after `at` characters that is outside a code fence
    and not followed by an indented or list line; ("text", "") when there is no such place."""
    start = at
    while True:
        cut = text.find("\n\n", start)
        if cut < 0:
            return text, ""
        rest = text[cut + 2:]
        if text.count("```", 0, cut) % 2 == 0 and rest[:1] not in (" ", "\t", "-", "*", "+") \
                and not rest[:3].rstrip(".)").isdigit():
            return text[:cut + 2], rest
        start = cut + 2


def header_content(body: StoryBody, *, notes: int = 0, tags: list[str] | None = None,
                   highlights: int = 0) -> Content:
    """The article header built from untrusted fields as plain text, never markup."""
    story = body.story
    parts: list[Content | str] = [Content.styled(clean_line(story.title, 400), "bold")]
    meta = [clean_line(story.feed_title, 120), clean_line(story.author, 120),
            full_date(story.published)]
    line = " · ".join(m for m in meta if m)
    if line:
        parts += ["\n", Content.styled(line, "$text-muted")]
    if story.url:
        parts += ["\n", Content.styled(clean_line(story.url, 300), "underline $text-secondary")]
    if body.extract_error and not body.full_text:
        parts += ["\n", Content.styled(clean_line(body.extract_error, 300), "$text-warning")]
    mine = []
    if tags:
        mine.append(" ".join(f"#{clean_line(t, 64)}" for t in tags))
    if notes:
        mine.append(f"{notes} note{'s' if notes != 1 else ''} (n)")
    if highlights:
        mine.append(f"{highlights} highlight{'s' if highlights != 1 else ''}")
    if mine:
        parts += ["\n", Content.styled(" · ".join(mine), "$text-accent")]
    return Content.assemble(*parts)


class ArticleView(PassageCursor, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"article--{kind}" for kind in KINDS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "line_down", "Down", show=False, id="move_down"),
        Binding("k", "line_up", "Up", show=False, id="move_up"),
        Binding("space", "page_down", "Page down", show=False, id="page_down"),
        Binding("g", "scroll_home", "Top", show=False, id="first"),
        Binding("G", "scroll_end", "Bottom", show=False, id="last"),
        Binding("right_square_bracket", "paragraph(1)", "Next paragraph", show=False,
                id="next_paragraph"),
        Binding("left_square_bracket", "paragraph(-1)", "Previous paragraph", show=False,
                id="previous_paragraph"),
        Binding("escape", "leave_passage", "Done", show=False, id="leave_passage"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.body: StoryBody | None = None
        self._marked: MarkdownBlock | Widget | None = None
        self._hits: list[tuple[int, int]] = []
        self._hit_key: object = None
        self._hit_index = -1
        self._hit: tuple[int, int] | None = None
        self._rest_line = 0
        self._rest_ready = False
        self._segs: list[Segment] | None = None
        self._styled: dict[Widget, list[tuple[int, int, str]]] = {}
        self._classed: set[Widget] = set()
        self.highlights: list[Highlight] = []
        self.notes: list[Note] = []
        self.tags: list[str] = []
        self.search_hits: list[tuple[int, int]] = []
        self._cursor: tuple[int, int | None] | None = None  # (segment, sentence or None)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Choose a story and press Enter to read it.", "$text-muted"),
                     id="article-header")

    async def _markdown(self, part: str) -> Markdown:
        """A body widget, created on first use: importing it costs start-up time."""
        from textual.widgets import Markdown

        found = self.query(f"#{part}")
        if found:
            return found.first(Markdown)
        body = Markdown(id=part, classes="article-body", open_links=False)
        await self.mount(body)
        return body

    async def prepare(self) -> None:
        """Create the body widgets ahead of the first story, so opening it is quick too."""
        for part in ("article-body", "article-rest"):
            (await self._markdown(part)).display = part == "article-body"

    @property
    def story_id(self) -> int | None:
        return self.body.story.id if self.body else None

    async def show(self, body: StoryBody) -> None:
        """Render `body` and return once its first screenful is laid out; the rest follows at
        once, then the saved scroll position is restored."""
        self.body = body
        self._marked = None
        self._hit_key = None
        self._hit = None
        self._cursor = None
        self._segs = None
        self._styled.clear()
        self._classed.clear()
        self.highlights, self.notes, self.tags = [], [], []
        self.search_hits = []
        self.border_subtitle = ""
        self._rest_ready = False
        self._update_header()
        markdown = strip_controls(body.markdown) or "*This story has no text.*"
        head, tail = split_markdown(markdown)
        self._rest_line = head.count("\n")
        widget = await self._markdown("article-body")
        rest = await self._markdown("article-rest")
        rest.display = False
        await widget.update(head)
        self.scroll_to(y=0, animate=False, immediate=True)
        if tail:
            self.call_after_refresh(self._show_rest, body, rest, tail)
        elif body.scroll > 0:
            self.call_after_refresh(self._restore, body.scroll)

    async def _show_rest(self, body: StoryBody, rest: Markdown, tail: str) -> None:
        if self.body is not body:
            return  # another story was opened meanwhile
        await rest.update(tail)
        if self.body is not body:
            return
        rest.display = True
        self._rest_ready = True
        self._segs = None
        self._decorate()
        if body.scroll > 0 and self.body is body:
            self.call_after_refresh(self._restore, body.scroll)

    def _restore(self, fraction: float) -> None:
        self.scroll_to(y=round(fraction * self.max_scroll_y), animate=False, immediate=True)

    @property
    def scroll_fraction(self) -> float:
        return self.scroll_y / self.max_scroll_y if self.max_scroll_y else 0.0

    # The reader's annotations -------------------------------------------------------------

    def set_annotations(self, story_id: int, highlights: list[Highlight], notes: list[Note],
                        tags: list[str]) -> None:
        """Show the open story's highlights, quoted notes and tags (ignored if another story
        is open by now)."""
        if story_id != self.story_id:
            return
        self.highlights, self.notes, self.tags = highlights, notes, tags
        self._update_header()
        self._decorate()

    def _update_header(self) -> None:
        if self.body is not None:
            self.query_one("#article-header", Static).update(header_content(
                self.body, notes=len(self.notes), tags=self.tags,
                highlights=len(self.highlights)))

    # Where offsets land --------------------------------------------------------------------

    def _parts(self) -> list[tuple[Widget, int]]:
        parts: list[tuple[Widget, int]] = []
        for part, first in (("article-body", 0), ("article-rest", self._rest_line)):
            if part == "article-rest" and not self._rest_ready:
                continue
            parts.extend((widget, first) for widget in self.query(f"#{part}"))
        return parts

    def segments(self) -> list[Segment]:
        """Every rendered block with inline text, in reading order (built on first use)."""
        if self._segs is not None:
            return self._segs
        from textual.widgets.markdown import MarkdownBlock

        text = self.body.markdown if self.body else ""
        starts = line_starts(text)
        segs: list[Segment] = []
        for widget, first in self._parts():
            for block in widget.query(MarkdownBlock):
                if block._inline_token is None:
                    continue
                top: Widget = block
                while top.parent is not None and top.parent is not widget:
                    top = top.parent  # type: ignore[assignment]
                a, b = block.source_range
                start, end = line_range(starts, a + first, b + first)
                segs.append(Segment(block, top, start, end, block._content.plain,
                                    text[start:end]))
        segs.sort(key=lambda s: s.start)
        self._segs = segs
        return segs

    def block_at(self, offset: int) -> MarkdownBlock | None:
        """The top-level block of the body holding character `offset` of the Markdown."""
        if self.body is None:
            return None
        from textual.widgets.markdown import MarkdownBlock

        line = strip_controls(self.body.markdown).count("\n", 0, max(0, offset))
        for widget, first in self._parts():
            for block in widget.children:
                if not isinstance(block, MarkdownBlock):
                    continue
                start, end = block.source_range
                if start + first <= line < max(end, start + 1) + first:
                    return block
        return None

    def _segment_at(self, offset: int) -> Segment | None:
        return next((s for s in self.segments() if s.start <= offset < s.end), None)

    def show_search(self, query: str) -> int:
        """Mark every word of a search in the open story and bring the first into view; how
        many places were marked."""
        if self.body is None:
            return 0
        self.search_hits = term_spans(strip_controls(self.body.markdown), query)
        self._decorate()
        if self.search_hits:
            seg = self._segment_at(self.search_hits[0][0])
            target = seg.block if seg is not None else self.block_at(self.search_hits[0][0])
            if target is not None:
                self.scroll_to_widget(target, animate=False, top=True, immediate=True)
        return len(self.search_hits)

    def _marks(self) -> list[tuple[int, int, str]]:
        marks = [(start, end, "search") for start, end in self.search_hits]
        marks += [(h.start, h.end, "highlight") for h in self.highlights]
        marks += [(n.quote_start, n.quote_end, "note") for n in self.notes
                  if n.quote_start is not None and n.quote_end is not None]
        passage = self.passage
        if passage is not None:
            marks.append((passage.start, passage.end, "passage"))
        if self._hit is not None:
            marks.append((*self._hit, "hit"))
        return marks

    def _decorate(self) -> None:
        """Restyle the blocks so that exactly the current marks show."""
        spans: dict[Widget, list[tuple[int, int, str]]] = {}
        classes: dict[Widget, set[str]] = {}
        for start, end, kind in self._marks():
            covered = False
            for seg in self.segments():
                if seg.start >= max(end, start + 1) or seg.end <= start:
                    continue
                covered = True
                offsets = seg.offsets
                found = rendered_range(offsets, start, end) if offsets else None
                if found is not None:
                    spans.setdefault(seg.block, []).append((*found, kind))
                else:
                    classes.setdefault(seg.top, set()).add(f"-{kind}")
            block = None if covered else self.block_at(start)
            if block is not None:
                classes.setdefault(block, set()).add(f"-{kind}")
        for widget in [*self._styled, *(w for w in spans if w not in self._styled)]:
            want = spans.get(widget, [])
            if self._styled.get(widget, []) == want:
                continue
            content: Content = widget._content  # type: ignore[attr-defined]
            for a, b, kind in want:
                content = content.stylize(f".article--{kind}", a, b)
            widget.update(content)  # type: ignore[attr-defined]
            if want:
                self._styled[widget] = want
            else:
                self._styled.pop(widget, None)
        for widget in self._classed | set(classes):
            for kind in KINDS:
                widget.set_class(f"-{kind}" in classes.get(widget, ()), f"-{kind}")
        self._classed = set(classes)

    # Entity mentions and timeline facts ----------------------------------------------------

    def mark(self, offset: int, end: int | None = None, *, sentence: bool | None = None
             ) -> bool:
        """Scroll the words at [offset, end) into view and highlight them: with `sentence`
        (the default when there is no `end`) the whole sentence holding them, and the whole
        block when the words cannot be placed. False if the offset is not in the text."""
        if sentence is None:
            sentence = end is None
        stop = end if end is not None and end > offset else offset + 1
        seg = self._segment_at(offset)
        if sentence and seg is not None and seg.offsets:
            rendered = rendered_range(seg.offsets, offset, stop)
            found = sentence_at(seg.sentences, rendered[0]) if rendered else None
            if found is not None:
                start_src, end_src = source_range(seg.offsets, *found)
                offset, stop = min(offset, start_src), max(stop, end_src)
        target: Widget | None = seg.block if seg is not None else self.block_at(offset)
        self._hit = (offset, stop) if target is not None else None
        self._marked = target
        self._decorate()
        if target is None:
            return False
        self.scroll_to_widget(target, animate=False, top=True, immediate=True)
        return True

    def next_hit(self, key: object, spans: list[tuple[int, int]]) -> tuple[int, int]:
        """Step through `spans` (mentions of one entity): (position 1-based, count)."""
        if key != self._hit_key:
            self._hit_key = key
            self._hits = sorted(spans)
            self._hit_index = -1
        if not self._hits:
            return 0, 0
        self._hit_index = (self._hit_index + 1) % len(self._hits)
        self.mark(*self._hits[self._hit_index])
        return self._hit_index + 1, len(self._hits)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_message(LinkChosen(event.href))
