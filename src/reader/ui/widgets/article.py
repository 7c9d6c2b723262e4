"""The story being read: a header (title, source, author, date, link) and the Markdown body.

Links in the body never open by themselves: a click posts `LinkChosen` and the screen asks.
Entity mentions and timeline facts are located by character offsets into the Markdown; the
block holding an offset is scrolled into view and highlighted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reader.models import StoryBody
from reader.text import clean_line, strip_controls
from reader.ui.messages import LinkChosen
from reader.ui.timefmt import full_date

if TYPE_CHECKING:
    from textual.widgets import Markdown
    from textual.widgets.markdown import MarkdownBlock

# The first screenful is rendered at once, the rest right after: a long story shows in one
# frame instead of waiting for every block to be laid out.
FIRST_CHUNK = 2500


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


def header_content(body: StoryBody) -> Content:
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
    return Content.assemble(*parts)


class ArticleView(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="move_down"),
        Binding("k", "scroll_up", "Up", show=False, id="move_up"),
        Binding("space", "page_down", "Page down", show=False, id="page_down"),
        Binding("g", "scroll_home", "Top", show=False, id="first"),
        Binding("G", "scroll_end", "Bottom", show=False, id="last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.body: StoryBody | None = None
        self._marked: MarkdownBlock | None = None
        self._hits: list[tuple[int, int]] = []
        self._hit_key: object = None
        self._hit_index = -1
        self._rest_line = 0

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
        self.query_one("#article-header", Static).update(header_content(body))
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
        rest.display = True
        if body.scroll > 0 and self.body is body:
            self.call_after_refresh(self._restore, body.scroll)

    def _restore(self, fraction: float) -> None:
        self.scroll_to(y=round(fraction * self.max_scroll_y), animate=False, immediate=True)

    @property
    def scroll_fraction(self) -> float:
        return self.scroll_y / self.max_scroll_y if self.max_scroll_y else 0.0

    def block_at(self, offset: int) -> MarkdownBlock | None:
        """The top-level block of the body holding character `offset` of the Markdown."""
        if self.body is None:
            return None
        from textual.widgets.markdown import MarkdownBlock

        line = strip_controls(self.body.markdown).count("\n", 0, max(0, offset))
        for part, first in (("article-body", 0), ("article-rest", self._rest_line)):
            for widget in self.query(f"#{part}"):
                for block in widget.children:
                    if not isinstance(block, MarkdownBlock):
                        continue
                    start, end = block.source_range
                    if start + first <= line < max(end, start + 1) + first:
                        return block
        return None

    def mark(self, offset: int) -> bool:
        """Scroll the block holding `offset` into view and highlight it; False if not found."""
        block = self.block_at(offset)
        if self._marked is not None:
            self._marked.remove_class("-hit")
        self._marked = block
        if block is None:
            return False
        block.add_class("-hit")
        self.scroll_to_widget(block, animate=False, top=True, immediate=True)
        return True

    def next_hit(self, key: object, spans: list[tuple[int, int]]) -> tuple[int, int]:
        """Step through `spans` (mentions of one entity): (position 1-based, count)."""
        if key != self._hit_key:
            self._hit_key = key
            self._hits = sorted(spans)
            self._hit_index = -1
        self._rest_line = 0
        if not self._hits:
            return 0, 0
        self._hit_index = (self._hit_index + 1) % len(self._hits)
        self.mark(self._hits[self._hit_index][0])
        return self._hit_index + 1, len(self._hits)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_message(LinkChosen(event.href))
