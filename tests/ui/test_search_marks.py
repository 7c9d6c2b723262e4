"""Search terms marked in the story opened from the results."""

from __future__ import annotations

from reader.store import Store
from reader.ui.widgets.article import ArticleView, term_spans
from tests.ui.support import make_app, settle


def test_term_spans_match_like_the_search() -> None:
    text = "Kharkiv shelters; the council of kharkiv. Sheltering in Kharkivska."
    assert [text[a:b] for a, b in term_spans(text, "kharkiv shelter")] == [
        "Kharkiv", "shelters", "kharkiv", "Sheltering"]
    assert term_spans(text, "[*]") == []


async def test_search_terms_are_marked_in_the_opened_story(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"council Kovalenko", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        article = app.main.query_one(ArticleView)
        body = article.body
        assert body is not None
        marked = {body.markdown[a:b] for a, b in article.search_hits}
        assert marked == {"council", "Kovalenko"}
        words = [content.plain[s.start:s.end] for block in article.segments()
                 for content in [block.block.content]  # type: ignore[attr-defined]
                 for s in content.spans if s.style == ".article--search"]
        assert "Kovalenko" in words and "council" in words
