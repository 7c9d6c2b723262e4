"""Build benchmarks/data/extract/ from test pages that other extractors publish on PyPI.

    python3 -m pip download --no-deps --no-binary :all: -d SDISTS \
        newspaper4k==0.9.6 trafilatura==1.0.0 htmldate==0.9.1
    uv run python scripts/gather_extract_pages.py SDISTS

Three kinds of known main text come out (benchmarks/data/extract/SOURCES.md says where each
page comes from and under which terms):

  newspaper4k/  pages with the story text newspaper4k's tests expect (full text)
  jsonld/       pages whose publisher states the story in schema.org `articleBody` (full text),
                kept only when that text is what the page shows
  labelled/     news pages from trafilatura's tests whose story we marked block by block
                (labels.txt: the numbers of the story's blocks in `page_blocks` order, chosen
                by reading the page: paragraphs and subheadings of the story; not the
                headline, standfirst, byline, captions, credits, "Read more" pointers,
                related stories or reader comments)
  snippets/     pages with the sentences that must and must not be in the story, from
                trafilatura's real-world tests (no full text: scored as found / leaked);
                sentences those tests expect from reader comments are left out

A page is kept only when its expected text can be read from the page itself (90 % of the
gold sentences occur in the page's visible text): gold that the HTML does not hold would
measure the gold, not the extractor.
"""

from __future__ import annotations

import ast
import gzip
import json
import re
import sys
import tarfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "extract"
_WORD = re.compile(r"\w+")
_SENT = re.compile(r"(?<=[.!?…:])\s+|\n+")


def words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def visible_text(html: str) -> str:
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for el in root.iter("script", "style", "noscript", "template"):
        el.text = ""
    return " ".join(root.itertext())


def coverage(gold: str, html: str) -> float:
    page = words(visible_text(html))
    sents = [s for s in _SENT.split(gold) if _WORD.search(s)]
    return sum(words(s) in page for s in sents) / len(sents) if sents else 0.0


def decode(raw: bytes) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from reader.content.clean import decode_html

    return decode_html(raw)


def save(kind: str, name: str, raw: bytes, spec: dict[str, Any], gold: str | None) -> None:
    folder = OUT / kind
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.html.gz").write_bytes(gzip.compress(raw, mtime=0))
    (folder / f"{name}.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
    if gold is not None:
        (folder / f"{name}.gold.txt").write_text(gold.strip() + "\n", encoding="utf-8")


def members(tar: tarfile.TarFile, pattern: str) -> dict[str, bytes]:
    out = {}
    for m in tar.getmembers():
        if m.isfile() and re.search(pattern, m.name):
            f = tar.extractfile(m)
            if f is not None:
                out[m.name] = f.read()
    return out


def newspaper4k(sdist: Path) -> int:
    with tarfile.open(sdist) as tar:
        files = members(tar, r"tests/data/(html|txt|metadata)/")
    kept = 0
    for path, raw in sorted(files.items()):
        if "/html/" not in path:
            continue
        name = Path(path).stem
        txt = next((v for k, v in files.items() if k.endswith(f"/txt/{name}.txt")), None)
        meta = next((v for k, v in files.items() if k.endswith(f"/metadata/{name}.json")), None)
        if txt is None:
            continue
        gold = txt.decode("utf-8")
        url = json.loads(meta).get("url", "") if meta else ""
        html = decode(raw)
        cov = coverage(gold, html)
        if len(_WORD.findall(gold)) < 10 or cov < 0.9:
            print(f"  skip newspaper4k/{name}: gold coverage {cov:.2f}")
            continue
        save("newspaper4k", name, raw, {"url": url or "http://127.0.0.1/",
                                        "source": "newspaper4k 0.9.6 tests/data"}, gold)
        kept += 1
    return kept


def _article_bodies(html: str) -> list[str]:
    bodies = []
    for block in re.findall(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", html,
                            re.S | re.I):
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str):
                    bodies.append(body)
                stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return bodies


def _paragraphs(body: str) -> str:
    """articleBody as sentences on lines: publishers join paragraphs with newlines or
    nothing; markup left in it is removed."""
    import html as html_module

    body = re.sub(r"<[^>]+>", " ", html_module.unescape(body))
    return "\n".join(line.strip() for line in body.splitlines() if line.strip())


def jsonld(sdists: list[Path], seen: set[str]) -> int:
    kept = 0
    for sdist in sdists:
        with tarfile.open(sdist) as tar:
            files = members(tar, r"tests/cache/[^/]+\.html$")
        for path, raw in sorted(files.items()):
            name = Path(path).stem
            if name in seen:
                continue
            html = decode(raw)
            bodies = [b for b in _article_bodies(html) if len(_WORD.findall(b)) >= 80]
            if not bodies:
                continue
            gold = _paragraphs(max(bodies, key=len))
            cov = coverage(gold, html)
            if cov < 0.9:
                print(f"  skip jsonld/{name}: articleBody coverage {cov:.2f}")
                continue
            seen.add(name)
            save("jsonld", name, raw, {"url": "http://127.0.0.1/",
                                       "source": f"{sdist.name} tests/cache, schema.org "
                                                 "articleBody"}, gold)
            kept += 1
    return kept


def _snippet_checks(source: str) -> list[tuple[str, list[str], list[str]]]:
    """(url, must-have, must-not) for each load_mock_page(...) followed by its asserts."""
    out: list[tuple[str, list[str], list[str]]] = []
    tree = ast.parse(source)
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef) or fn.name != "test_extract":
            continue
        current: tuple[str, list[str], list[str]] | None = None
        nodes = [n for n in ast.walk(fn) if isinstance(n, ast.Call | ast.Compare)]
        for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "load_mock_page":
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    current = (arg.value, [], [])
                    out.append(current)
            elif isinstance(node, ast.Compare) and current is not None:
                left = node.left
                if (isinstance(left, ast.Constant) and isinstance(left.value, str)
                        and len(node.ops) == 1 and isinstance(node.comparators[0], ast.Name)
                        and node.comparators[0].id == "result"):
                    if isinstance(node.ops[0], ast.In):
                        current[1].append(left.value)
                    elif isinstance(node.ops[0], ast.NotIn):
                        current[2].append(left.value)
    return out


_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre",
               "td", "th", "dd", "dt")
_NESTING = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre",
            "dd", "dt")  # a block inside one of these is part of it; a table cell is not
_LOOSE_TAGS = ("div", "span", "section", "article", "a", "font", "td")


def page_blocks(html: str) -> list[tuple[str, str]]:
    """The page's text in reading order as (tag, text) blocks: each outermost paragraph-like
    element, and loose text of three words or more written straight into a div or a span
    (tag marked "~")."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for el in list(root.iter("script", "style", "noscript", "template", "svg")):
        el.drop_tree()
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCK_TAGS:
            text = " ".join(el.text_content().split())
            if not _WORD.search(text) or any(a.tag in _NESTING for a in el.iterancestors()):
                continue
            out.append((el.tag, text))
        elif el.tag in _LOOSE_TAGS:
            own = (el.text or "") + "".join(c.tail or "" for c in el)
            if _WORD.search(own) and len(own.split()) >= 3:
                out.append((el.tag + "~", " ".join(own.split())))
    return out


def labelled(sdists: list[Path], labels: Path, seen: set[str]) -> int:
    files: dict[str, bytes] = {}
    where: dict[str, str] = {}
    for sdist in sdists:
        with tarfile.open(sdist) as tar:
            for path, raw in members(tar, r"tests/cache/[^/]+\.html$").items():
                files.setdefault(Path(path).name, raw)
                where.setdefault(Path(path).name, sdist.name)
    kept = 0
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, ranges = line.split()
        raw = files[f"{name}.html"]
        blocks = page_blocks(decode(raw))
        chosen: list[str] = []
        for part in ranges.split(","):
            lo, _, hi = part.partition("-")
            for i in range(int(lo), int(hi or lo) + 1):
                tag, text = blocks[i]
                if tag.endswith("~") and words(text) in words(" ".join(chosen)):
                    continue  # the text of a link inside a paragraph already chosen
                chosen.append(text)
        seen.add(name)
        save("labelled", name, raw, {"url": "http://127.0.0.1/",
                                     "source": f"{where[name + '.html']} tests/cache, story "
                                               "marked by hand (labels.txt)"}, "\n".join(chosen))
        kept += 1
    return kept


def _comment_words(html: str, url: str) -> str:
    """The words of the page's reader comments: trafilatura's tests expect comments in its
    output, a story reader leaves them out, so sentences from comments are not asked for."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, include_comments=True)
    return words(getattr(doc, "comments", None) or "") if doc is not None else " "


def snippets(sdist: Path, seen: set[str]) -> int:
    with tarfile.open(sdist) as tar:
        files = members(tar, r"tests/(cache/[^/]+\.html|realworld_tests\.py)$")
    source = next(v for k, v in files.items() if k.endswith("realworld_tests.py")).decode()
    mock = ast.literal_eval(re.search(r"MOCK_PAGES = (\{.*?\n\})", source, re.S).group(1))
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for url, with_, without in _snippet_checks(source):
        have, avoid = merged.setdefault(url, ([], []))
        have.extend(w for w in with_ if w not in have)
        avoid.extend(w for w in without if w not in avoid)
    kept = 0
    for url, (have, avoid) in sorted(merged.items()):
        filename = mock.get(url)
        raw = next((v for k, v in files.items() if filename and k.endswith("/" + filename)),
                   None)
        if raw is None or not have or url.startswith("http://exotic"):
            continue
        name = Path(filename).stem
        if name in seen:
            continue  # full gold exists for it
        comments = _comment_words(decode(raw), url)
        have = [w for w in have if words(w) not in comments]
        if not have:
            continue
        seen.add(name)
        save("snippets", name, raw, {"url": url, "with": have, "without": avoid,
                                     "source": f"{sdist.name} tests/realworld_tests.py"}, None)
        kept += 1
    return kept


def main() -> int:
    folder = Path(sys.argv[1])
    seen: set[str] = set()
    print("newspaper4k:", newspaper4k(folder / "newspaper4k-0.9.6.tar.gz"))
    print("jsonld:", jsonld([folder / "trafilatura-1.0.0.tar.gz",
                             folder / "htmldate-0.9.1.tar.gz"], seen))
    print("labelled:", labelled([folder / "trafilatura-1.0.0.tar.gz",
                                 folder / "htmldate-0.9.1.tar.gz"], OUT / "labels.txt", seen))
    print("snippets:", snippets(folder / "trafilatura-1.0.0.tar.gz", seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
