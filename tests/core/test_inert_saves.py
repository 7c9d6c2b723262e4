"""A Markdown save renders exactly the words the page showed: page text that spells out HTML
or a javascript: link stays text in any CommonMark renderer that passes HTML through.

The page goes through the real pipeline (HTTP on 127.0.0.1, extraction, SQLite), then the
real `warreader save` command; the file is rendered with markdown-it with HTML allowed, as
Obsidian, GitHub or a static site generator would.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reader.export.markdown import inert_markdown
from tests.conftest import LocalServer

WORDS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
    "<style>body{display:none}</style>", "[x](javascript:alert(4))", "<!-- hidden -->",
    "<javascript:alert(5)>", "![i](javascript:alert(6))", "[y](<javascript:alert(7)>)",
    "<a href='javascript:alert(8)'>z</a>", "[w](jav&#97;script:alert(9))",
]
PAGE = """<html><head><title>Attack</title></head><body><article><h1>Attack</h1>
<p>Officials in Kyiv said on Monday that the bridge was repaired and reopened after weeks.</p>
{paragraphs}
<p>A web link: <a href="https://www.bbc.co.uk/news">the BBC</a> stays a link.</p>
<p>Residents described the repair as the most important event in the town this year.</p>
</article></body></html>"""


def render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).render(markdown)


def shown_text(rendered: str) -> str:
    """The words a browser shows for rendered HTML (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", rendered))


def live_parts(rendered: str) -> list[str]:
    """Tags in rendered HTML that run, load or hide something, or link off the web."""
    tags = re.findall(r"<[A-Za-z!][^>]*>", rendered)
    return [t for t in tags if re.match(r"<(?:script|img|svg|style|iframe)\b|<!--", t, re.I)
            or re.search(r"\son\w+\s*=|href=\"(?!https?:)", t, re.I)]


def test_markdown_save_of_a_hostile_page_is_inert(local_server: LocalServer,
                                                  tmp_path: Path) -> None:
    paragraphs = "\n".join(f"<p>Text {n}: {html.escape(w)} end.</p>" for n, w in enumerate(WORDS))
    local_server.routes["/a.html"] = PAGE.format(paragraphs=paragraphs)
    local_server.routes["/feed.xml"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        f"<title>Attack</title><link>{local_server.url('/a.html')}</link><guid>1</guid>"
        "</item></channel></rss>")
    home = tmp_path / "home"
    env = {**os.environ, "WARREADER_HOME": str(home)}
    cmd = [sys.executable, "-m", "reader", "--data-dir", str(home)]
    for args in (["add", local_server.url("/feed.xml")], ["refresh", "--quiet"],
                 ["save", "1", "--format", "md", "--to", str(tmp_path / "out")],
                 ["save", "1", "--format", "html", "--to", str(tmp_path / "out")]):
        subprocess.run([*cmd, *args], env=env, check=True, capture_output=True, timeout=120)
    saved = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    rendered = render(saved.split("\n---\n", 1)[1])
    assert live_parts(rendered) == [], rendered
    text = shown_text(rendered)
    for n, words in enumerate(WORDS[:-1]):
        assert f"Text {n}: {words} end." in text
    assert '<a href="https://www.bbc.co.uk/news">the BBC</a>' in rendered
    page = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "Content-Security-Policy" in page


@pytest.mark.parametrize("markdown", [
    "```\n<b>code</b>\n```", "    <indented code>", "`<b>` in a span", "x < y and 3<4",
    "see <https://example.com> and [a](https://example.com \"t\")", "a \\<b> escaped",
])
def test_code_and_plain_text_keep_their_meaning(markdown: str) -> None:
    assert render(inert_markdown(markdown)) == render(markdown)


@pytest.mark.parametrize("words", WORDS)
def test_each_hostile_text_renders_as_its_words(words: str) -> None:
    rendered = render(inert_markdown(f"Text: {words} end."))
    assert live_parts(rendered) == []
    if "&#" not in words:
        assert shown_text(rendered).strip() == f"Text: {words} end."
