"""Page furniture that reaches the story after trafilatura: captions and photo credits,
blocks that are only links to other stories, and reader-comment sections.

Each rule is a class of markup found on real pages (benchmarks/extract_choice.py measures
them), never a phrase of one site. Captions are read from the whole page before trafilatura
prunes it; the story tree is then cleaned in place.
"""

from __future__ import annotations

import re
from typing import Any

from reader.content.clean import drop_tree, text_of

_WORD = re.compile(r"\w+")
# class/id words of caption and credit containers across CMSs ("caption", "ImageCaption",
# "story-image-copyright", "photo-credit", "atc-ImageDescriptionCopyright").
_CAPTION_ATTR = re.compile(r"caption|credit|copyright", re.I)
_CAPTION_MAX_WORDS = 80  # a container longer than this is not a caption
# The heading of a reader-comment section, in the languages of the outlets we read.
_COMMENTS = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|comentar(?:ios?)?|comentários|kommentare?|commentaires?|"
    r"commenti|kommentieren|commenter|reacties|komentarze|коментарі|комментарии|"
    r"leave a (?:reply|comment)|join the (?:discussion|conversation)|reader comments|add a comment|"
    r"post a comment)\W*$", re.I)
_FIELD_SEP = re.compile(r"\s[|·•]\s|^\s*[|·•]|[|·•]\s*$")
_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}:\d{2}\b")
_PULL_QUOTE_WORDS = 10
_STANDFIRST_WORDS = 18
_OPEN_QUOTES = "\"“„«‘'"
_CLOSE_QUOTES = "\"”“»’'"
_LINK_MIN_CHARS = 15  # a link this long is a headline, not an inline citation
# A paragraph that is only a credit, a syndication note or a loading placeholder:
# "(Credit: Clayton Aldern / Grist)", "Photo: Reuters", "Bild: dpa", "This article
# originally appeared on VICE US.", "Loading weather data ...".
_NOTE = re.compile(
    r"^\W*(?:(?:photo|image|picture|credit|illustration|graphic|video|foto|bild|fotó|zdjęcie|"
    r"фото)s?(?:\s+credits?)?\s*:[^.!?]{0,80}"
    r"|(?:this|the) (?:article|story|post|piece|report) (?:was )?(?:originally|first) "
    r"(?:appeared|published|ran)\b[^!?]{0,80}"
    r"|loading\b[^.!?]{0,40}(?:\.\.\.|…))\W*$", re.I)


def _wordstring(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def caption_words(root: Any) -> set[str]:
    """The words of every caption and photo credit on the page (each figure, caption and
    credit element on its own), read before trafilatura, which keeps some of them as
    paragraphs of the story."""
    found: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag not in ("figcaption", "figure") and not _CAPTION_ATTR.search(
                f"{el.get('class', '')} {el.get('id', '')}"):
            continue
        words = _wordstring(text_of(el))
        if 1 < words.count(" ") <= _CAPTION_MAX_WORDS + 1:
            found.add(words)
    return found


def drop_captions(body: Any, captions: set[str]) -> None:
    """Remove paragraphs that are a page's caption or photo credit, and a paragraph right
    after an image that repeats the image's description. Whole texts are compared (a set
    look-up), so a page of thousands of figures costs no more than one of a few."""
    if captions:
        for el in list(body.iter("p", "div", "span")):
            if el.getparent() is None or (el.tag == "div" and len(el)):
                continue
            words = _wordstring(text_of(el))
            if words.count(" ") > 2 and words in captions:
                drop_tree(el)
    for img in list(body.iter("img")):
        tail = _wordstring(img.tail or "")
        if captions and tail.count(" ") > 1 and tail in captions:
            img.tail = None  # "Photo: <credit>" written right after the image
        alt = _wordstring(img.get("alt") or img.get("title") or "")
        if alt.count(" ") < 4:
            continue  # fewer than three words: too little to call the next paragraph its caption
        holder = img if img.getparent() is body else img.getparent()
        after = holder.getnext() if holder is not None else None
        if after is not None and after.tag == "p" and _wordstring(text_of(after)).startswith(alt):
            drop_tree(after)


def byline(el: Any) -> bool:
    """ "Patricio Candia | Palma de Mallorca | 08/01/2014": a short line of fields split by
    bars or dots, one of them a date. Not story text, and the reader shows the byline."""
    text = text_of(el).strip()
    return (len(_WORD.findall(text)) <= 15 and bool(_FIELD_SEP.search(text))
            and bool(_DATE.search(text)) and not text.endswith((".", "?", "!")))


def note(el: Any) -> bool:
    """A credit line, a syndication note or a placeholder standing as its own paragraph."""
    text = text_of(el).strip()
    return len(text) <= 160 and bool(_NOTE.match(text))


def pull_quote(el: Any) -> bool:
    """A heading that is one long quoted sentence ("“Leadership is about enabling those
    below, above and around you…”"): a pull quote, set large beside the story it repeats
    or teases, not a subheading."""
    if el.tag not in ("h2", "h3", "h4", "h5", "h6"):
        return False
    text = text_of(el).strip()
    return (len(_WORD.findall(text)) >= _PULL_QUOTE_WORDS and text[:1] in _OPEN_QUOTES
            and text[-1:] in _CLOSE_QUOTES)


def drop_standfirst(body: Any) -> None:
    """The story opening with a heading that is a whole sentence or two ("The rocky island
    of Redonda ... makes an astonishingly quick comeback."): the standfirst under the
    headline, set as a heading by the page, not a subheading of the story. A question is
    left alone: an interview may open with one."""
    first = next((el for el in body.iter("h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote")
                  if _WORD.search(text_of(el))), None)
    if first is None or first.tag in ("p", "li", "blockquote"):
        return
    text = text_of(first).strip()
    count = len(_WORD.findall(text))
    if count >= _STANDFIRST_WORDS or (count >= 10 and text.endswith(".")):
        drop_tree(first)


def links_only(el: Any) -> bool:
    """Two or more headline-long links and, at most, a short label: a block of promos
    ("Related: <link> <link>"), not a paragraph that cites its sources."""
    links = [text_of(a).strip() for a in el.iter("a")]
    if len(links) < 2 or any(len(t) < _LINK_MIN_CHARS for t in links):
        return False
    text = " ".join(text_of(el).split())
    linked = sum(len(" ".join(t.split())) for t in links)
    return linked >= 0.75 * len(text)


def drop_comment_section(body: Any) -> None:
    """A heading such as "Comments" or "Leave a reply" that trafilatura kept starts the
    readers' comments: it goes, with everything after it."""
    for el in body.iter("h2", "h3", "h4", "h5", "h6", "p"):
        if len(text_of(el)) > 40 or not _COMMENTS.match(text_of(el).strip()):
            continue
        node = el
        while node is not None and node is not body:
            for sibling in list(node.itersiblings()):
                drop_tree(sibling)
            node = node.getparent()
        drop_tree(el)
        return
