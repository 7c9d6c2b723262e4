"""Name normalisation for the cross-story entity index, and date keys for the merged timeline.

Names are compared after folding (case, accents, apostrophes, hyphens), dropping a possessive,
and mapping known variant spellings to one canonical form. The variant table is the one the
entity extractor uses (reader/nlp/data/aliases.json, read directly: the extractor's own index
of it is keyed for its tokenizer); if it cannot be read, a small built-in table of the
commonest variants stands in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)

# Used only when the extractor's table is unavailable.
_FALLBACK_VARIANTS: dict[str, tuple[str, ...]] = {
    "Kyiv": ("Kiev",),
    "Kharkiv": ("Kharkov",),
    "Kupiansk": ("Kupyansk", "Kup'yansk"),
    "Izium": ("Izyum",),
    "Zaporizhzhia": ("Zaporozhye", "Zaporizhzhya", "Zaporizhia"),
    "Odesa": ("Odessa",),
    "Mykolaiv": ("Nikolaev", "Mykolayiv"),
    "Donbas": ("Donbass",),
    "Volodymyr Zelenskiy": ("Zelenskiy", "Zelensky", "Zelenskyy", "Volodymyr Zelensky",
                            "Volodymyr Zelenskyy", "Vladimir Zelensky"),
    "Vladimir Putin": ("Putin",),
}


def fold(name: str) -> str:
    """Accents removed, case folded, apostrophes dropped, hyphens as spaces, spaces collapsed."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in name if not unicodedata.combining(c))
    name = name.casefold().replace("’", "").replace("'", "").replace("-", " ")
    return " ".join(name.split())


@cache
def _variants() -> dict[str, str]:
    """Folded variant → folded canonical name."""
    table: dict[str, str] = {}
    try:
        raw = resources.files("reader.nlp").joinpath("data", "aliases.json").read_text("utf-8")
        for names in json.loads(raw).values():
            for canon, variants in names.items():
                for variant in (canon, *variants):
                    table.setdefault(fold(variant), fold(canon))
    except (ImportError, OSError, ValueError, AttributeError, TypeError):
        table.clear()
    if not table:
        for canon, variants in _FALLBACK_VARIANTS.items():
            for variant in (canon, *variants):
                table[fold(variant)] = fold(canon)
    return table


def strip_possessive(name: str) -> str:
    """ "Zelensky's" → "Zelensky"; "Forces'" → "Forces"; other names unchanged."""
    return _POSSESSIVE.sub("", name.strip()) or name.strip()


@lru_cache(maxsize=100_000)  # names and words repeat across thousands of stories
def normalise(name: str) -> str:
    """The comparison form of a name: possessive dropped, folded, known variants mapped to
    their canonical spelling. Two names are the same entity when these are equal."""
    folded = fold(strip_possessive(name))
    return _variants().get(folded, folded)


def display_fold(name: str) -> str:
    """A looser key that only collapses case and possessives: used to drop repeated aliases
    while keeping genuine spelling variants ("Kiev" beside "Kyiv") visible."""
    return strip_possessive(name).casefold()


# --- Dates ------------------------------------------------------------------------------------

_SEASON = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def is_calendar(value: str) -> bool:
    """True for dated TimeML values ("2022-09-10", "2022-Q3", "199"); False for the vague
    PRESENT_REF/PAST_REF/FUTURE_REF and anything else that does not start with a year."""
    return len(value) >= 3 and value[:3].isdigit()


def period_start(value: str) -> dt.date | None:
    """The first day of the period a calendar value names, or None if it names none."""
    if not is_calendar(value):
        return None
    full = len(value) >= 4 and value[:4].isdigit()
    try:
        year = int(value[:4]) if full else int(value[:3]) * 10  # "199": the 1990s
        rest = value[4:] if full else ""
        if rest[:1] != "-" or len(rest) < 3:
            return dt.date(year, 1, 1)
        tag = rest[1:]
        if tag[:2].isdigit():
            month = int(tag[:2])
            day = int(tag[3:5]) if len(tag) >= 5 and tag[2] == "-" and tag[3:5].isdigit() else 1
            return dt.date(year, month, day)
        if tag[0] == "Q" and tag[1:2].isdigit():
            return dt.date(year, 3 * int(tag[1]) - 2, 1)
        if tag[0] == "H" and tag[1:2].isdigit():
            return dt.date(year, 6 * int(tag[1]) - 5, 1)
        if tag[0] == "W" and tag[1:3].isdigit():
            return dt.date.fromisocalendar(year, int(tag[1:3]), 6 if tag.endswith("WE") else 1)
        if tag[:2] in _SEASON:
            return dt.date(year, _SEASON[tag[:2]], 1)
        return dt.date(year, 1, 1)
    except ValueError:
        return None


def sort_key(value: str) -> str | None:
    """An index key that orders facts by the start of their period, then by the value
    itself (so "2022-09" comes before "2022-09-01", and equal values sit together)."""
    start = period_start(value)
    return None if start is None else f"{start.isoformat()} {value}"


_DATE_FILTER = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_filter(text: str) -> str:
    """A since/until filter as typed, checked: YYYY, YYYY-MM or YYYY-MM-DD naming a real
    date. Raises ValueError with a message fit for the reader otherwise."""
    text = text.strip()
    found = _DATE_FILTER.fullmatch(text)
    try:
        if found is None:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in found.groups())
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") from None
    return text


def bound(text: str, upper: bool) -> str:
    """A since/until filter as a sort_key bound: "2022-09" from the start of September, or
    through its end when `upper`."""
    text = text.strip()
    return text + "~" if upper else text


# --- Sentences ------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOPWORDS = (
    """a an the and or but of to in on at by for from with without into onto over under about
    after before during since until as than then that this these those there here it its is
    are was were be been being has have had do does did will would shall should can could may
    might must not no nor so if while which who whom whose what when where why how all any
    both each few more most other some such only own same too very s said says say told
    also just up out off again further once he she they them their his her we our you your i
    me my us one two three new according reported report reports"""
)
STOPWORDS = frozenset(_STOPWORDS.split())


def content_words(sentence: str) -> frozenset[str]:
    """The set of content words of a sentence, normalised like names (so "Kiev's" and
    "Kyiv" are one word), stopwords and 1-letter words dropped."""
    words = (normalise(w) for w in _WORD.findall(sentence))
    return frozenset(w for w in words if len(w) > 1 and w not in STOPWORDS)


def fact_tokens(sentence: str, names: list[str]) -> str:
    """What a fact is compared on when folding near-duplicates, as stored in the index:
    its content words and "@" + each entity it names, space-separated (words never hold
    spaces; a multi-word name's spaces become underscores)."""
    tokens = content_words(sentence) | {"@" + normalise(n) for n in names}
    return " ".join(sorted(t.replace(" ", "_") for t in tokens))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)
