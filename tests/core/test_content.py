"""reader.content.article: main story selection, Markdown, metadata, charsets and hostile pages.

The pages in tests/pages/ carry their gold story text (NAME.gold.txt) and what must and
must not survive (NAME.json); benchmarks/extract_choice.py scores the same pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.content.article import decode_html, extract_article, extract_markdown, html_to_markdown
from reader.errors import ExtractError
from reader.models import Article

PAGES = Path(__file__).parents[1] / "pages"
NAMES = sorted(p.name.removesuffix(".json") for p in PAGES.glob("*.json"))
FEEDFARM = Path(__file__).resolve().parents[3] / "shared" / "tools" / "feedfarm.py"

_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")

Articles = dict[str, Article]


def words(text: str) -> str:
    """Lower-cased words joined by single spaces, so Markdown markers do not matter."""
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not story words
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def load(name: str) -> tuple[bytes, dict, list[str]]:
    spec = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    gold = (PAGES / f"{name}.gold.txt").read_text(encoding="utf-8").splitlines()
    return (PAGES / f"{name}.html").read_bytes(), spec, [g for g in gold if g.strip()]


def assert_safe(md: str) -> None:
    assert not _CONTROL.search(md), "control characters in output"
    assert "<script" not in md.lower() and "<style" not in md.lower()
    for target in _LINK.findall(md):
        assert target.startswith(("http://", "https://", "mailto:")), target
    for target in _IMAGE.findall(md):
        assert target.startswith(("http://", "https://")), target
    assert "\n\n\n" not in md


@pytest.fixture(scope="module")
def articles() -> Articles:
    """Each page extracted once for the whole module; extraction is the slow part."""
    out = {}
    for name in NAMES:
        raw, spec, _ = load(name)
        out[name] = extract_article(raw, spec["url"])
    return out


@pytest.mark.parametrize("name", NAMES)
def test_story_text_is_kept_and_boilerplate_left_out(name: str, articles: Articles) -> None:
    _, spec, gold = load(name)
    md = articles[name].markdown
    got = words(md)
    missing = [line for line in gold if words(line) not in got]
    assert not missing, f"story lines missing: {missing}"
    leaked = [b for b in spec["boilerplate"] if b.lower() in md.lower()]
    assert not leaked, f"boilerplate in story: {leaked}"
    assert_safe(md)


@pytest.mark.parametrize("name", NAMES)
def test_formatting_survives(name: str, articles: Articles) -> None:
    _, spec, _ = load(name)
    md = articles[name].markdown
    for link in spec.get("links", []):
        assert f"]({link})" in md, link
    patterns = {"headings": r"^#+ .*{}", "list_items": r"^(?:-|\d+\.) .*{}",
                "quotes": r"^> .*{}", "emphasis": r"[*_]{{1,2}}{}"}
    for kind, pattern in patterns.items():
        for item in spec.get(kind, []):
            assert re.search(pattern.format(re.escape(item)), md, re.M), (kind, item)


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name: str, articles: Articles) -> None:
    _, spec, _ = load(name)
    art = articles[name]
    assert art.title == spec["title"]
    if "author" in spec:
        assert art.author == spec["author"]
    if "published" in spec:
        assert art.published == dt.datetime.fromisoformat(spec["published"])
        assert art.published.tzinfo is not None
    if "image" in spec:
        assert art.image_url == spec["image"]


def test_author_prefers_people_over_newsrooms() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
          '{"@type": "Organization", "name": "Wire Desk"}}</script>')
    story = "<p>" + "Officials said the bridge reopened to traffic after repairs. " * 6 + "</p>"
    meta = "<meta name='author' content='By Jane Roe'>"
    page = f"<html><head>{ld}{meta}</head><body>{story}</body></html>"
    assert extract_article(page).author == "Jane Roe"
    assert extract_article(page.replace(meta, "")).author == "Wire Desk"


def test_title_is_not_repeated_as_first_heading(articles: Articles) -> None:
    for name in NAMES:
        art = articles[name]
        first = art.markdown.lstrip().splitlines()[0]
        assert words(first) != words(art.title or ""), name


def test_extract_markdown_matches_extract_article(articles: Articles) -> None:
    raw, spec, _ = load("wire_basic")
    assert extract_markdown(raw.decode("utf-8"), spec["url"]) == articles["wire_basic"].markdown


def test_ordered_lists_keep_their_numbers(articles: Articles) -> None:
    md = articles["explainer_lists"].markdown
    assert re.search(r"^1\. March 2022", md, re.M)
    assert re.search(r"^- The plant must never", md, re.M)


# ---- charsets ------------------------------------------------------------------------

def test_windows_1251_page_declared_in_meta(articles: Articles) -> None:
    art = articles["ukr_cp1251"]
    assert "Харкові повністю відновили водопостачання" in art.markdown
    assert "\ufffd" not in art.markdown


@pytest.mark.parametrize("declare", ["meta", "header", "none"])
def test_windows_1251_bytes(declare: str) -> None:
    story = ("<p>Мешканців Харкова просять кип'ятити воду перед вживанням, доки фахівці "
             "перевіряють її якість у лабораторії водоканалу.</p>") * 4
    head = '<meta charset="windows-1251">' if declare == "meta" else ""
    page = (f"<html><head>{head}<title>Вода</title></head>"
            f"<body><article>{story}</article></body></html>")
    ctype = "text/html; charset=windows-1251" if declare == "header" else None
    art = extract_article(page.encode("cp1251"), "https://example.ua/a", content_type=ctype)
    assert "Мешканців Харкова просять" in art.markdown


def test_decode_html_prefers_bom_and_maps_latin1_to_windows_1252() -> None:
    assert decode_html("привіт".encode("utf-8-sig")) == "привіт"
    latin = b'<meta charset="iso-8859-1"><p>\x93quoted\x94 caf\xe9</p>'
    assert "“quoted” café" in decode_html(latin)
    assert decode_html(b"<p>\xff\xfe broken \xc3</p>") != ""  # never raises


# ---- pages without a story -----------------------------------------------------------

INDEX_PAGE = """<html><head><title>Sections</title></head><body>
<nav><a href="/a">World</a> <a href="/b">Business</a> <a href="/c">Sport</a></nav>
<ul><li><a href="/1">Headline one</a></li><li><a href="/2">Headline two</a></li></ul>
<footer>© News</footer></body></html>"""


@pytest.mark.parametrize("page", [
    "", "   \n", b"", b"\x00\x01\x02\xff\xfe" * 50, "<html></html>",
    "<html><body><script>var a = 'only a script here, nothing else at all';</script></body></html>",
    INDEX_PAGE, "<?xml version='1.0'?><rss><channel><title>x</title></channel></rss>",
])
def test_no_story_raises_and_returns_empty(page: str | bytes) -> None:
    with pytest.raises(ExtractError) as err:
        extract_article(page, "https://example.com/")
    assert str(err.value)  # a message fit to show a reader
    assert extract_markdown(page, "https://example.com/") == ""


# ---- hostile content -----------------------------------------------------------------

def test_hostile_page(articles: Articles) -> None:
    art = articles["hostile"]
    md = art.markdown
    assert_safe(md)
    assert '"[bold]People[/bold] need shelters now' in md  # literal text, not markup
    assert "opposition's slogan" in md and "javascript" not in md.lower()
    assert "![A school basement shelter](https://cdn.example-city.org/shelter.jpg)" in md
    assert "bad image" not in md and "local file" not in md
    assert art.image_url is None  # og:image was a javascript: URL
    for field in (art.title, art.author):
        assert field and not _CONTROL.search(field)


def test_xhtml_page_with_xml_declaration() -> None:
    raw, spec, gold = load("wire_basic")
    page = b'<?xml version="1.0" encoding="utf-8"?>\n' + raw.replace(
        b'<html lang="en">', b'<html xmlns="http://www.w3.org/1999/xhtml" lang="en">')
    art = extract_article(page, spec["url"])
    assert words(gold[0]) in words(art.markdown)
    assert art.title == spec["title"]


def test_relative_links_without_a_base_are_unlinked() -> None:
    md = html_to_markdown('<p>See <a href="/council/1">the decision</a> and '
                          '<a href="https://example.org/x">this</a>.</p>')
    assert md == "See the decision and [this](https://example.org/x)."


_STORY = "".join(
    f"<p>Paragraph {n} of the report says the convoy reached the depot at dawn and that the "
    f"drivers waited for the river crossing to reopen before moving on to the next town.</p>"
    for n in range(1, 7))


def test_label_of_a_dropped_promo_goes_with_it() -> None:
    # The label sits in its own paragraph; the promo under it is a link-only block that
    # the extractor may drop on its own, which must not leave the label behind.
    promo = ('<p><b>Editors Picks</b></p><p><a href="/a/1.html">How The Ferry Line Was Cut '
             'Off</a></p><p><a href="/a/1.html">A look at the river crossings that keep the '
             'region supplied, and why they close.</a></p>')
    page = (f"<html><body><article><h1>Convoy reaches depot</h1>{_STORY[:600]}{promo}"
            f"{_STORY[600:]}</article></body></html>")
    md = extract_markdown(page, "https://news.example/a/2.html")
    assert "Paragraph 6" in md and "Paragraph 1" in md
    assert "Editors Picks" not in md and "Ferry Line" not in md


def test_a_menu_of_links_is_not_a_story() -> None:
    # Link targets are not words a reader sees: three links are too little to be a story
    # however long their URLs are.
    page = ("<html><body><main><p><a href='/news/world/europe/ukraine'>World</a> "
            "<a href='/news/business/markets/energy'>Business</a> "
            "<a href='/news/sport/football/premier-league'>Sport</a></p></main></body></html>")
    assert extract_markdown(page, "https://news.example/") == ""


def _page(middle: str, tail: str = "") -> str:
    return (f"<html><body><article><h1>Convoy reaches depot</h1>{_STORY[:600]}{middle}"
            f"{_STORY[600:]}{tail}</article></body></html>")


def test_captions_and_photo_credits_are_not_story() -> None:
    figure = ('<figure><img src="/i/1.jpg" alt="Trucks wait at the river crossing near the depot">'
              '<span class="photo-credit">Photo: Olena Marchenko / City Herald</span>'
              '<figcaption>Trucks wait at the river crossing near the depot.</figcaption></figure>'
              '<p>Trucks wait at the river crossing near the depot. Photo: Olena Marchenko / '
              'City Herald</p>')
    md = extract_markdown(_page(figure), "https://news.example/a/2.html")
    assert "Paragraph 6" in md and "Paragraph 1" in md
    assert "Marchenko" not in md and "Trucks wait" not in md.replace("![Trucks wait", "")


def test_a_block_of_headline_links_is_a_promo_but_a_cited_paragraph_is_not() -> None:
    promos = ('<p><b>See also</b><br><a href="/a/7.html">Ferry line to the islands closes for '
              'the winter</a><br><a href="/a/8.html">Bridge repairs delayed until the spring '
              'thaw</a></p>')
    cited = ('<p>The ministry published <a href="/r/1.pdf">its annual report on river traffic'
             '</a> and <a href="/r/2.pdf">a survey of the crossings</a> on Monday, and both '
             'say the convoy route will stay open through the winter months.</p>')
    md = extract_markdown(_page(promos + cited), "https://news.example/a/2.html")
    assert "Ferry line" not in md and "Bridge repairs" not in md
    assert "annual report on river traffic" in md and "stay open through the winter" in md


def test_a_discussion_section_of_the_story_is_not_taken_for_comments() -> None:
    tail = ("<h2>Discussion</h2><p>The authors argue that the river crossings decide how fast "
            "supplies move, more than the roads leading to them, and they call for more "
            "ferries.</p>")
    md = extract_markdown(_page("", tail), "https://news.example/a/2.html")
    assert "## Discussion" in md and "call for more ferries" in md


def test_a_comment_section_kept_by_the_extractor_is_dropped() -> None:
    comments = ("<h2>Comments</h2><p>Great reporting, thank you for covering the depot and the "
                "drivers who wait there every week.</p><p>I drove that road last year and the "
                "crossing was closed for days, nobody told us anything at all.</p>")
    md = extract_markdown(_page("", comments), "https://news.example/a/2.html")
    assert "Paragraph 6" in md and "Comments" not in md and "Great reporting" not in md


def test_a_byline_line_is_not_story() -> None:
    line = "<p>Olena Marchenko | Kherson | 08/01/2024</p>"
    md = extract_markdown(_page(line), "https://news.example/a/2.html")
    assert "Paragraph 6" in md and "Marchenko" not in md


@pytest.mark.parametrize("line", [
    "(Credit: Oksana Lytvyn / City Herald)", "Photo: Reuters", "Bild: dpa",
    "This article originally appeared on City Herald.", "Loading weather data ...",
])
def test_credit_lines_syndication_notes_and_placeholders_are_not_story(line: str) -> None:
    md = extract_markdown(_page(f"<p>{line}</p>"), "https://news.example/a/2.html")
    assert "Paragraph 6" in md and line.strip("(.").split()[0] not in md


def test_a_list_under_an_editors_label_is_a_rail() -> None:
    rail = ("<h4>Editors’ Recommendations:</h4><ul>"
            "<li><a href='/a/3.html'>Ferry line to the islands closes for the winter</a></li>"
            "<li><a href='/a/4.html'>Bridge repairs delayed until the spring thaw</a></li>"
            "<li><a href='/a/5.html'>Review: a new bus timetable, and what it means</a></li></ul>")
    md = extract_markdown(_page("", rail), "https://news.example/a/2.html")
    assert "Paragraph 6" in md and "Ferry line" not in md and "Recommendations" not in md


def test_parentheses_in_image_and_link_urls_do_not_break_the_markdown() -> None:
    src = "https://cdn.example/thumbor/a=/0x0:20x20/filters:focal(1x1:2x2)/photo (1).jpg"
    md = html_to_markdown(f'<p><img src="{src}" alt="Depot"> <a href="/w/(x)">Wiki</a></p>',
                          "https://news.example/")
    assert ("![Depot](https://cdn.example/thumbor/a=/0x0:20x20/filters:focal%281x1:2x2%29/"
            "photo%281%29.jpg)") in md
    assert "[Wiki](https://news.example/w/%28x%29)" in md


def test_subheadings_with_a_permalink_icon_are_kept() -> None:
    sections = "".join(
        f'<h2 id="q{n}">Question {n}: what happened at the depot?<a href="#q{n}" '
        f'class="heading-link" aria-hidden="true"></a></h2>'
        f"<p>Answer {n}: the drivers waited at the river crossing for two days before the "
        f"ferry came back, and then they moved on to the next town together.</p>"
        for n in range(1, 5))
    md = extract_markdown(_page(sections), "https://news.example/a/2.html")
    for n in range(1, 5):
        assert f"## Question {n}: what happened at the depot?" in md and f"Answer {n}:" in md


def test_a_pull_quote_goes_but_a_quoted_subheading_stays() -> None:
    middle = ("<h3>“The drivers waited two days at the crossing and nobody told them when the "
              "ferry would come back”</h3><h2>“We will rebuild”</h2>")
    md = extract_markdown(_page(middle), "https://news.example/a/2.html")
    assert "nobody told them" not in md and "## “We will rebuild”" in md


def test_a_standfirst_set_as_a_heading_is_not_story_but_a_first_subheading_is() -> None:
    dek = ("<h4>Drivers waited two days at the river crossing before the ferry came back, and "
           "the depot finally received its fuel.</h4>")
    page = _page("").replace("<h1>Convoy reaches depot</h1>", "<h1>Convoy reaches depot</h1>" + dek)
    md = extract_markdown(page, "https://news.example/a/2.html")
    assert "Paragraph 1" in md and "finally received its fuel" not in md
    for first in ("At the crossing", "How long did the drivers wait at the river crossing this "
                  "time?"):
        page = _page("").replace("<h1>Convoy reaches depot</h1>",
                                 f"<h1>Convoy reaches depot</h1><h2>{first}</h2>")
        assert f"## {first}" in extract_markdown(page, "https://news.example/a/2.html")


# ---- feed summaries ------------------------------------------------------------------

SUMMARIES = [
    ("<p>Shelling hit <b>Kharkiv</b> overnight. <a href='/live'>Follow live</a></p>",
     "Shelling hit **Kharkiv** overnight. [Follow live](https://news.example/live)"),
    ("Plain text summary with no tags & an ampersand.",
     "Plain text summary with no tags & an ampersand."),
    ("<p>First paragraph.</p>\n\n\n<p></p><p>Second<br>line.</p>",
     "First paragraph.\n\nSecond\\\nline."),
    ("<ul><li>One</li><li>Two</li></ul>", "- One\n- Two"),
    ("<blockquote>We will rebuild.</blockquote><p>— the mayor</p>",
     "> We will rebuild.\n\n— the mayor"),
    ("<img src='/i.jpg' alt='A map'><p>Map of the front.</p>",
     "![A map](https://news.example/i.jpg)\n\nMap of the front."),
    ("<img src='data:image/png;base64,AAAA' alt='x'><p>Tracking pixel gone.</p>",
     "Tracking pixel gone."),
    ("<script>alert(1)</script><style>p{}</style><p onclick='x()'>Clean.</p>", "Clean."),
    ("<p>Sign <a href='javascript:alert(1)'>here</a> [bold]now[/bold]</p>",
     "Sign here [bold]now[/bold]"),
    ("<p>Escape \x1b[31mred\x1b[0m and \x1b]8;;http://x\x07title\x1b]8;;\x07 &#27;[2J.</p>",
     "Escape red and title [2J."),
    ("", ""),
]


@pytest.mark.parametrize(("fragment", "expected"), SUMMARIES)
def test_html_to_markdown(fragment: str, expected: str) -> None:
    assert html_to_markdown(fragment, "https://news.example/story/1") == expected


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_html_to_markdown_never_emits_controls(fragment: str) -> None:
    md = html_to_markdown("<p>" + fragment + "</p>", "https://news.example/")
    assert not _CONTROL.search(md)
    assert "\n\n\n" not in md


# ---- a page served over HTTP by feedfarm ---------------------------------------------

@pytest.fixture(scope="module")
def farm() -> Iterator[str]:
    if not FEEDFARM.exists():
        pytest.skip("feedfarm.py not available")
    proc = subprocess.Popen([sys.executable, str(FEEDFARM), "--feeds", "2", "--items", "3",
                             "--port", "0", "--seconds", "30"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    try:
        assert line.startswith("READY "), line
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(10)


def test_feedfarm_article(farm: str) -> None:
    url = f"{farm}/article/1/2.html"
    with urllib.request.urlopen(url, timeout=10) as resp:
        raw, ctype = resp.read(), resp.headers.get("Content-Type")
    import lxml.html

    tree = lxml.html.fromstring(raw)
    gold = [p.text_content() for p in tree.xpath("//article/p[not(@class)]")]
    art = extract_article(raw, url, content_type=ctype)
    assert gold and all(words(p) in words(art.markdown) for p in gold)
    for junk in ("Section 3", "Subscribe now", "first!", "All rights reserved", "tracking"):
        assert junk not in art.markdown
    assert art.title and art.title.endswith("report 1-2")
    assert art.published is not None and art.published.tzinfo is not None


def test_importing_reader_content_is_cheap() -> None:
    code = ("import sys, reader.content.article; "
            "print(sorted(m for m in ('trafilatura', 'lxml', 'markdownify', 'bs4') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
