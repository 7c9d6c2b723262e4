"""Hand-made knowledge the tagger lacks: name variants of the region, titles, teaser lines."""

from __future__ import annotations

import json
import re
from functools import cache

from reader.nlp.ner_features import is_upper_line
from reader.nlp.ner_tagger import data_bytes
from reader.nlp.textutil import tokenize
from reader.text import fold

# Words before a name that say it is a person's, and are not part of the name.
_TITLE_WORDS = """mr mr. mrs mrs. ms ms. dr dr. gen gen. general lt lt. lieutenant col col. colonel
    maj maj. major capt capt. captain sgt sgt. sergeant adm adm. admiral brig brig. cpl cpl.
    pvt pvt. sen sen. senator rep rep. gov gov. governor president prime minister premier
    chancellor spokesman spokeswoman spokesperson commander chief mayor ambassador
    secretary adviser advisor aide deputy head pope king queen prince princess sir lord
    lady dame father rev rev. patriarch marshal ceo chairman chairwoman director ombudsman
    commissioner envoy speaker prosecutor judge lawmaker mp founder coordinator
    representative officer editor hero"""
PERSON_TITLES = frozenset(_TITLE_WORDS.split())
# Of those, the ones that may also open an organisation's or place's name.
AMBIGUOUS_TITLES = frozenset(["general", "chief", "head", "king", "prince", "lord", "queen"])

_TEASER = re.compile(
    r"^\W*(?:see also|watch|read more|read also|related|more on|photo|image|video|"
    r"listen|by\s+[A-Z]|caption|credit|getty|file photo|subscribe|sign up|follow us)\b",
    re.IGNORECASE,
)


Name = tuple[str, ...]  # a name as its folded tokens


def name_key(words: list[str]) -> Name:
    """The comparison key of a name given as tokens."""
    return tuple(fold(w) for w in words)


@cache
def key_of(name: str) -> Name:
    """The comparison key of a name given as a string."""
    return name_key([name[a:b] for a, b in tokenize(name)])


@cache
def alias_index() -> dict[Name, tuple[str, str, bool]]:
    """Folded tokens of a name or variant → (canonical name, kind, written in capitals),
    from data/aliases.json."""
    table = json.loads(data_bytes("aliases.json"))
    index: dict[Name, tuple[str, str, bool]] = {}
    for kind, names in table.items():
        for canon, variants in names.items():
            for name in (canon, *variants):
                index.setdefault(key_of(name), (canon, kind, name.isupper()))
    return index


@cache
def alias_starts() -> dict[str, list[Name]]:
    """First folded token → the alias-table names starting with it, longest first."""
    out: dict[str, list[Name]] = {}
    for key in sorted(alias_index(), key=len, reverse=True):
        out.setdefault(key[0], []).append(key)
    return out


_SMALL = """a an the of and or in on at to for by with from as but nor is are be vs via into
    over after"""
_SMALL_WORDS = frozenset(_SMALL.split())


class LineKinds:
    """What the line holding a character is, worked out once per line: a headline line
    (capitals, a Markdown heading or image, a teaser, or headline case: "What Happens Next")
    where capitals say nothing, and whether it is also a heading standing alone between
    blank lines (or a Markdown heading), where only a name something vouches for counts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[int, tuple[bool, bool]] = {}

    def at(self, pos: int) -> tuple[bool, bool]:
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        got = self.cache.get(start)
        if got is not None:
            return got
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        stripped = text[start:end].strip()
        case = _headline_case(stripped.rstrip("\"'”’)"))
        headline = bool(stripped) and (
            case or is_upper_line(stripped) or stripped.startswith(("![", "#"))
            or bool(_TEASER.match(stripped)))
        heading = stripped.startswith("#")
        if not heading and stripped and not stripped.endswith(
                (".", "!", "?", ":", ",", ";", '"', "”")):
            size = len(stripped.split())
            if 2 <= size <= 8 or (size <= 20 and case):
                prev_start = text.rfind("\n", 0, max(start - 1, 0)) + 1
                before_blank = start == 0 or not text[prev_start : start - 1].strip()
                next_end = text.find("\n", end + 1)
                after_blank = end >= len(text) or not text[
                    end + 1 : len(text) if next_end < 0 else next_end].strip()
                heading = before_blank and after_blank
        got = self.cache[start] = (headline, heading)
        return got


_LOWER_WORD = re.compile(r"(?<![\w'’-])(?!(?:with|from|into|over|after)\b)[a-z]{4,}")


def _headline_case(line: str) -> bool:
    if _LOWER_WORD.search(line):
        return False  # a lowercase word that is not a small one: running text
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return (len(words) >= 3 and len(big) >= 2 and all(w[:1].isupper() for w in big)
            and not line.endswith((".", "!", "?")))


def teaser_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of lines that are headlines, bylines, captions or teasers rather than
    story text: all in capitals, Markdown images or headings, "SEE ALSO", "WATCH",
    "Photo:", "By ..." and the like."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped and (
            is_upper_line(stripped) or stripped.startswith(("![", "#")) or _TEASER.match(stripped)
        ):
            out.append((pos, end))
        pos = end + 1
    return out
