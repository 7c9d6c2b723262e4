"""HTML page -> main story -> Markdown, and feed summaries -> Markdown.

The story is found by trafilatura, chosen by measurement (benchmarks/extract_choice.py).
Its HTML rendering keeps headings, lists, quotes, emphasis and links, and markdownify
turns that into Markdown. Everything that leaves this module has been through
content_clean: no scripts, no javascript: links, no control characters.

Heavy libraries (trafilatura, lxml, markdownify) are imported inside functions so that
importing reader.content.article costs nothing until a page is actually extracted.
"""

from __future__ import annotations

import html
import re
from typing import Any

from reader.content.clean import (
    absolute_url,
    clean_tree,
    decode_html,
    drop_tree,
    strip_raw_controls,
    text_of,
    tidy_markdown,
    tree_to_markdown,
)
from reader.content.furniture import (
    byline,
    caption_words,
    drop_captions,
    drop_comment_section,
    drop_standfirst,
    links_only,
    note,
    pull_quote,
)
from reader.errors import ExtractError
from reader.models import Article
from reader.text import md_literal

__all__ = ["decode_html", "extract_article", "extract_markdown", "html_to_markdown"]

_WORD = re.compile(r"\w+")
# Labels of a list of other stories.
_RAIL_LABEL = re.compile(r"^\W*(?:related|read also|see also|also read|more|latest|top|most "
                         r"(?:read|popular|viewed)|popular|recommend\w*|other|you may also|"
                         r"you might|further reading|news feed|trending|editors?['’]?s?\b|"
                         r"(?:read|watch|up) next|must[- ]reads?|don['’]t miss)\b", re.I)
_LETTERS = re.compile(r"[^\W\d_][\w'’-]*")
_MIN_WORDS = 12  # less than this is a caption or a teaser, not a story
# A paragraph that only points elsewhere: "Read more: <link>", "See also: <link>".
_POINTER = re.compile(r"^\W*(read|see|watch|listen|related|more|also read|read also|"
                      r"read next|recommended|further reading)\b[^.!?]{0,20}[:|»>-]", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = ("p", "div", "li", "blockquote")
_CELL_BLOCKS = ("p", "div", "table", "h1", "h2", "h3", "h4", "ul", "ol", "article", "section")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _parse_page(html: str) -> Any:
    """An lxml tree of a whole page, or None when it is not HTML at all."""
    import lxml.html
    from lxml.etree import ParserError

    # lxml refuses text that still declares a byte encoding (XHTML's <?xml ...?>).
    html = _XML_DECLARATION.sub("", html, count=1)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
    try:
        return lxml.html.document_fromstring(html, parser=parser)
    except (ParserError, ValueError):
        return None


def _unwrap_layout_tables(root: Any) -> None:
    """Turn tables used for page layout into plain divs.

    Old sites put navigation and story in cells of one table; extractors keep or drop a
    table whole, so the story would come with its menus. A table whose cells hold
    paragraphs, headings or further tables is layout, not data."""
    for table in list(root.iter("table")):
        cells = list(table.iter("td", "th"))
        if not any(next(cell.iter(*_CELL_BLOCKS), None) is not None for cell in cells):
            continue
        for el in [table, *table.iter("thead", "tbody", "tfoot", "tr", "td", "th")]:
            el.tag = "div"


_ANCHOR_ICONS = {"", "#", "¶", "§", "🔗", "link", "permalink", "anchor"}


def _unlink_heading_anchors(root: Any) -> None:
    """Remove the permalink icon many sites put inside each subheading (an empty or "#"
    link to the heading itself): trafilatura's precision mode reads such a heading as a
    link and drops it, and a reader does not need it."""
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        for a in list(heading.iter("a")):
            if ((a.get("href") or "").startswith("#")
                    and text_of(a).strip().lower() in _ANCHOR_ICONS):
                drop_tree(a)


def _story_tree(root: Any, url: str | None, with_metadata: bool) -> tuple[Any, Any]:
    """The story as an lxml <body> tree (or None) and trafilatura's Document (or None).

    trafilatura runs with favor_precision: on real pages its default mode lets through
    comment threads, newsletter and cookie notices and rails of other headlines, and
    costs more story precision than it gains recall (benchmarks/extract_choice.py)."""
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    try:
        doc = trafilatura.bare_extraction(
            root, url=url, include_comments=False, include_tables=True, include_images=True,
            include_formatting=True, include_links=True, with_metadata=with_metadata,
            favor_precision=True)
    except Exception:  # a big parser of hostile input: a failure means "no story", not a crash
        return None, None
    tree = getattr(doc, "body", None)
    if tree is None:
        return None, doc
    ordered = [el for el in tree.iter("list") if el.get("rend") == "ol"]
    body = convert_to_html(tree).find("body")
    for el in ordered:  # trafilatura renders every list as <ul>; numbering matters in a story
        el.tag = "ol"
    return body, doc


def _headline_case(text: str) -> bool:
    """ "Ukrainian Outpost City Digs In As Russian Forces Grind Closer": every longer word
    capitalised, as promos and headlines of other stories are written."""
    words = _LETTERS.findall(text)
    long = [w for w in words if len(w) > 3]
    return len(words) >= 2 and bool(long) and all(w[:1].isupper() for w in long)


def _all_link(el: Any) -> bool:
    """The element's text is one or more links and nothing else (a promo, a rail item)."""
    text = text_of(el).strip()
    linked = sum(len(text_of(a).strip()) for a in el.iter("a"))
    return bool(text) and linked >= 0.9 * len(text)


def _link_texts(root: Any) -> set[tuple[str, ...]]:
    """The words of every headline-case link on the page, read before trafilatura, which
    may keep a promo's text but drop its link."""
    out: set[tuple[str, ...]] = set()
    for a in root.iter("a"):
        if (a.get("href") or "").startswith("#"):
            continue  # a table of contents points at the story's own headings
        text = text_of(a)
        if len(text) < 200 and _headline_case(text):
            out.add(tuple(_words(text)))
    return out


def _label(text: str) -> bool:
    """A few words in headline case or a rail's label, no sentence: "Live Briefing"."""
    return (0 < len(_words(text)) <= 4 and not text.endswith((".", "?", "!", '"'))
            and (_headline_case(text + " X") or bool(_RAIL_LABEL.match(text))))


def _promo_labels(root: Any, links: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The words of the labels standing right before a promo or a rail on the page, read
    before trafilatura: it may drop the promo and keep its label ("Live Briefing")."""
    out: set[tuple[str, ...]] = set()
    for el in root.iter("p", "div", "ul", "ol", "section", "aside"):
        if el.tag in ("ul", "ol"):
            hit = _rail(el, "")
        elif el.tag in ("div", "section", "aside") and next(
                el.iter("p", "div", "ul", "ol", "h2", "h3", "h4"), None) is not None:
            continue  # a container: its blocks are judged one by one
        else:
            hit = _all_link(el) and _promo(el, links)
        if not hit:
            continue
        prev = el.getprevious()
        if prev is not None and isinstance(prev.tag, str) and _label(text_of(prev).strip()):
            out.add(tuple(_words(text_of(prev))))
    return out


def _promo(el: Any, links: set[tuple[str, ...]]) -> bool:
    """A paragraph or heading that is only a link to another story, in headline case or of a
    few words: "Ukrainian Outpost City Digs In", not story text."""
    text = text_of(el).strip()
    if links_only(el) or (el.tag in ("p", "div") and (byline(el) or note(el))):
        return True
    if len(_words(text)) > 20 or text.endswith((".", "?", "!", '"')):
        return False
    if _all_link(el):
        return _headline_case(text) or len(_words(text)) <= 4
    return _headline_case(text) and len(_words(text)) >= 3 and tuple(_words(text)) in links


def _rail(el: Any, label: str) -> bool:
    """A list of two or more links to other stories: each in headline case, or under a
    label such as "Latest news" or "Related" (sentence-case headlines)."""
    items = [li for li in el if li.tag == "li"]
    if len(items) < 2 or not all(_all_link(li) for li in items):
        return False
    texts = [text_of(li).strip() for li in items]
    if all(_headline_case(t) for t in texts):
        return True
    return bool(_RAIL_LABEL.match(label)) and all(
        len(_words(t)) >= 3 and not t.endswith((".", ":")) for t in texts)


def _drop_promos(body: Any, links: set[tuple[str, ...]]) -> None:
    """Promos and related-story rails placed inside the story by the page: a paragraph that
    is only a headline-case link, a list of such links, and the short label or heading
    right before one ("Live Briefing", "Related")."""
    blocks = [el for el in body.iter("p", "div", "h2", "h3", "h4", "h5", "h6", "ul", "ol")
              if el.getparent() is not None]
    gone: set[int] = set()
    for n, el in enumerate(blocks):
        if el.tag in ("ul", "ol"):
            hit = _rail(el, text_of(blocks[n - 1]).strip() if n else "")
        elif el.tag == "div" and len(el):
            continue  # a container: judge what is inside it
        else:
            hit = _promo(el, links)
        if not hit:
            continue
        gone.add(n)
        k = n - 1
        while k >= 0 and k not in gone:
            label = text_of(blocks[k]).strip()
            if (blocks[k].tag in ("ul", "ol") or len(_words(label)) > 4
                    or label.endswith((".", "?", "!", '"')) or not (
                        _headline_case(label + " X") or _RAIL_LABEL.match(label))):
                break
            gone.add(k)  # "Live Briefing", "Related", "More On This Story"
            k -= 1
    for n in sorted(gone, reverse=True):
        drop_tree(blocks[n])


def _drop_furniture(body: Any, title: str | None, links: set[tuple[str, ...]],
                    labels: set[tuple[str, ...]], captions: set[str]) -> None:
    """Remove what trafilatura lets through: a heading repeating the title (the reader
    shows it already), promos and rails of other stories and the labels of those it
    dropped, paragraphs that only point to other stories, captions and photo credits,
    and a comment section it did not recognise."""
    drop_comment_section(body)
    drop_captions(body, captions)
    for el in list(body.iter("h2", "h3", "h4", "h5", "h6")):
        if pull_quote(el):
            drop_tree(el)
    first = next(body.iter("h1", "h2", "h3", "p"), None)
    if title and first is not None and first.tag != "p" and _words(text_of(first)) == _words(title):
        drop_tree(first)
    drop_standfirst(body)
    _drop_promos(body, links)
    for el in list(body.iter("p", "h2", "h3", "h4", "h5", "h6")):
        if el.getparent() is not None and tuple(_words(text_of(el))) in labels:
            drop_tree(el)
    for el in list(body.iter(*_BLOCKS)):
        text = text_of(el).strip()
        if not _POINTER.match(text):
            continue
        linked = sum(len(text_of(a)) for a in el.iter("a"))
        if linked and linked >= 0.5 * len(_POINTER.sub("", text).strip()):
            drop_tree(el)


def _story(html: str, url: str | None, with_metadata: bool = False
           ) -> tuple[str, Any, Any]:
    """(Markdown of the story or "", the page's metadata or None, trafilatura's Document)."""
    root = _parse_page(html)
    if root is None:
        return "", None, None
    from reader.content.meta import page_meta

    meta = page_meta(root)  # read before trafilatura, which prunes the tree as it works
    links = _link_texts(root)
    labels = _promo_labels(root, links)
    captions = caption_words(root)
    _unwrap_layout_tables(root)
    _unlink_heading_anchors(root)
    body, doc = _story_tree(root, url, with_metadata)
    if body is None:
        return "", meta, doc
    clean_tree(body, url)
    _drop_furniture(body, meta.title or getattr(doc, "title", None), links, labels,
                    captions)
    if len(_words(text_of(body))) < _MIN_WORDS:  # the words a reader sees, not link targets
        return "", meta, doc
    return tree_to_markdown(body), meta, doc


def extract_markdown(html: str | bytes, url: str | None = None) -> str:
    """The main story of a page as Markdown, "" when the page has none.

    Links are absolute (resolved against `url`); headings, lists, quotes and emphasis are
    kept; navigation, ads, comments and other page furniture are left out."""
    text = decode_html(html) if html else ""
    if not text.strip():
        return ""
    return _story(strip_raw_controls(text), url)[0]


def extract_article(html: str | bytes, url: str | None = None, *,
                    content_type: str | None = None) -> Article:
    """The story of a page with its title, author, publication time and lead image.

    Bytes are decoded by their BOM, the charset in `content_type` (the HTTP header) or
    the page's <meta charset>. Raises ExtractError when the page holds no article text."""
    text = strip_raw_controls(decode_html(html, content_type)) if html else ""
    if not text.strip():
        raise ExtractError("The page is empty.")
    md, meta, doc = _story(text, url, with_metadata=True)
    if not md:
        raise ExtractError("No article text was found on this page.")
    if meta is None:
        return Article(markdown=md)
    from reader.content.meta import fill_from

    meta = fill_from(meta, doc)
    image = absolute_url(meta.image, url, {"http", "https"})
    return Article(markdown=md, title=meta.title, author=meta.author,
                   published=meta.published, image_url=image)


def html_to_markdown(fragment: str, url: str | None = None) -> str:
    """A feed's summary or content HTML as clean Markdown (the whole fragment, no story
    selection). Relative links resolve against `url`; "" for an empty fragment."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        # Most summaries are plain text: skip the HTML parser (it dominates a cold refresh of
        # thousands of items) but escape what Markdown would otherwise read as emphasis.
        text = html.unescape(strip_raw_controls(fragment))
        return tidy_markdown(md_literal(" ".join(text.split())))
    import lxml.html
    from lxml.etree import ParserError

    text = strip_raw_controls(fragment)
    try:
        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except (ParserError, ValueError):
        return tidy_markdown(text)
    clean_tree(root, url)
    return tree_to_markdown(root)
