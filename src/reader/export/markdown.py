"""A saved story as Markdown with YAML front matter.

Web text is written so that a CommonMark renderer shows exactly the words the page showed:
no emphasis, link, heading or HTML can come of it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from reader.export.record import highlight_spans, mark_highlights
from reader.models import kind_order
from reader.text import md_literal


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper with every string double-quoted: plain scalars would break on
    U+0085 and the line separators, which then load back as other text."""


def _quoted(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_Dumper.add_representer(str, _quoted)


def to_yaml(data: dict[str, Any]) -> str:
    """`data` as a YAML block that loads back as `data`: no title can turn into a number, a
    boolean, a comment, an anchor or a second document."""
    if not data:
        return ""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000)


def front_matter(record: dict[str, Any]) -> dict[str, Any]:
    """The record as Obsidian-friendly properties: entities grouped by kind, no offsets."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for e in record["entities"]:
        by_kind.setdefault(e["kind"], []).append(
            {"name": e["name"], "aliases": e["aliases"], "count": e["count"]})
    kinds = kind_order(set(by_kind))
    return {
        "title": record["title"], "url": record["url"], "source": record["source"],
        "author": record["author"], "published": record["published"],
        "fetched": record["fetched"], "saved": record["saved"], "tags": record["tags"],
        "starred": record["starred"], "warreader_id": record["id"],
        "schema_version": record["schema_version"],
        "entities": {k: by_kind[k] for k in kinds},
        "timeline": [{"date": f["date"], "fact": f["fact"]} for f in record["timeline"]],
        "notes": [{"text": n["text"], "quote": n["quote"]} for n in record["notes"]],
    }


# A `<` that would open raw HTML, a comment or a non-web autolink (`<javascript:...>`); web
# autolinks such as <https://example.com> stay links. Leading backslashes tell whether the
# `<` is already escaped.
_ANGLE = re.compile(r"(\\*)<(?:(https?://[^\s<>]*>)|(?=[A-Za-z/!?]))", re.I)
# The `](` of an inline link or image, with the start of its destination.
_LINK = re.compile(r"(\\*)\]\((\s*<?)([^\s)>]*)")
# A link reference definition: `[label]: destination` at the start of a line.
_DEFINITION = re.compile(r"^( {0,3})\[(?=[^\]]*\]:)")
_WEB = re.compile(r"(?:https?://|mailto:)", re.I)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")


def _inert_text(text: str) -> str:
    """One line of Markdown outside code, with raw HTML and non-web links made literal."""
    def angle(m: re.Match[str]) -> str:
        if len(m.group(1)) % 2 or m.group(2):  # escaped already, or a web autolink
            return m.group(0)
        return m.group(1) + "\\<"

    def link(m: re.Match[str]) -> str:
        if len(m.group(1)) % 2 or _WEB.match(m.group(3)):
            return m.group(0)
        return m.group(1) + "\\](" + m.group(2) + m.group(3)

    return _LINK.sub(link, _ANGLE.sub(angle, text))


def inert_markdown(markdown: str) -> str:
    """A story's Markdown with everything a renderer would run or follow made literal text.

    The body came from a web page: text such as `&lt;script&gt;` or a literal
    `[x](javascript:...)` must show as those words, not become a script, an image with an
    onerror handler or a live link. Raw HTML, non-web autolinks, links and images whose
    address is not http(s) or mailto, and link definitions are escaped; code blocks and code
    spans are left alone (nothing is interpreted inside them) and web links keep working.
    """
    from markdown_it import MarkdownIt

    lines = markdown.split("\n")
    code: set[int] = set()
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
    out = []
    for n, line in enumerate(lines):
        if n in code:
            out.append(line)
            continue
        line = _DEFINITION.sub(lambda m: m.group(1) + "\\[", line)
        pieces, last = [], 0
        for span in _CODE_SPAN.finditer(line):
            pieces += [_inert_text(line[last:span.start()]), span.group(0)]
            last = span.end()
        pieces.append(_inert_text(line[last:]))
        out.append("".join(pieces))
    return "\n".join(out)


def to_markdown(record: dict[str, Any]) -> str:
    """YAML front matter, a title and byline, the body with ==highlights==, then the notes."""
    parts = ["---\n", to_yaml(front_matter(record)), "---\n\n",
             f"# {md_literal(record['title'])}\n\n"]
    byline = [md_literal(v) for v in (record["source"], record["author"]) if v]
    if record["published"]:
        byline.append(record["published"][:10])
    if record["url"] and not re.search(r"[\s<>]", record["url"]):
        byline.append(f"<{record['url']}>")
    if byline:
        parts.append(" · ".join(byline) + "\n\n")
    body = mark_highlights(record["body"], highlight_spans(record), "==", "==")
    parts.append(inert_markdown(body).rstrip() + "\n")
    if record["notes"]:
        parts.append("\n## Notes\n")
        for n in record["notes"]:
            parts.append("\n")
            if n["quote"]:
                quote = inert_markdown(n["quote"])
                parts.append("".join(f"> {line}\n" for line in quote.splitlines()))
                parts.append("\n")
            parts.append(inert_markdown(n["text"]).rstrip() + "\n")
    return "".join(parts)


