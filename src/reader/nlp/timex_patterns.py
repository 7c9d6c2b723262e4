"""The vocabulary and the one big regex that finds date expressions.

The regex is case sensitive so that month and weekday names must be capitalised ("May 10",
not "may"); relative words are wrapped in `(?i:...)`. Each alternative is a named group whose
name says how `timex_resolve` turns it into a value; alternatives are ordered longest first
because a regex alternation takes the first branch that matches, not the longest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}


def _alt(words: Iterable[object]) -> str:
    """A regex alternation of words, longest first so that prefixes do not win."""
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|,\d{3}|\.\d)"
_DAY_WORD = rf"(?i:(?:twenty|thirty)-(?:{_alt(list(ORDINALS)[:9])})|{_alt(ORDINALS)})"
_YEAR = r"(?:1\d{3}|20\d\d)(?![\d%])"
_TENS = _alt(w for w, n in NUMBERS.items() if n >= 20)
_UNITS = _alt(w for w, n in NUMBERS.items() if 1 <= n <= 9 and len(w) > 2)
_TEENS = _alt(w for w, n in NUMBERS.items() if 10 <= n <= 19)
_TWO_DIGITS = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|oh[- ](?:{_UNITS}))"
SPELLED_YEAR = (
    rf"(?i:(?:nineteen|eighteen|twenty)[- ](?:hundred|{_TWO_DIGITS})"
    rf"|two thousand(?:(?: and)? (?:{_TEENS}|{_UNITS}|{_TENS}(?:[- ](?:{_UNITS}))?))?)"
)
_NUM = rf"(?:\d{{1,3}}|(?i:a|an|a couple of|a few|few|several|some|many|{_alt(NUMBERS)}))"
_UNIT = r"(?i:day|week|month|year|decade|quarter|fortnight)s?"
_EDGE = r"(?i:early|earlier|late|later|mid)"
_PART = r"(?i:the (?:end|start|beginning|middle|first half|second half|last half|rest) of)"
_REL = (
    r"(?i:last|this|next|the past|the previous|the coming|the following|this past|this coming"
    r"|the current|the same|that|the next|the prior|the preceding)"
)
_Q_ORD = r"(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
_Q_MOD = (
    r"(?:(?i:(?:this|last|next) year's|year-earlier|year-ago|year earlier|comparable|same"
    r"|corresponding|latest|current|previous|preceding|prior|fiscal|calendar|flat|weak"
    r"|strong|recent|most recent|just-ended|just-completed)|(?:19|20)\d\d)"
)

_Q_TAIL = (
    rf"(?:\s+(?:of|in)\s+(?:(?i:fiscal)\s+)?{_YEAR}"
    rf"|\s+(?i:a year (?:ago|earlier)|last year|of last year|this year|next year))?"
)

# Lowercase month names count with a day or a year beside them ("5 september 2022"); "may"
# never does.
_MONTH_LOWER = ("january|february|march|april|june|july|august|september|october|november"
                "|december")
_MONTH_SPAN = rf"(?:\s*[-–—/]\s*|\s+(?:to|and)\s+)(?:{_MONTH_FULL}|{_MONTH_ABBR})"

# Alternatives, in the order they are tried at each position.
_KINDS: list[tuple[str, str]] = [
    # Days named by the calendar: "New Year's Eve", "Christmas Day", "Victory Day".
    ("holiday", rf"(?:New Year['’]s (?:Eve|Day)|Christmas (?:Eve|Day)|Victory Day)"
                rf"(?:,?\s+{_YEAR})?(?![\w-])"),
    # Weekday, month, day, year: "Saturday, April 25", "Sept. 10-11, 2022", "10 September".
    ("md", rf"(?:(?:(?i:this coming|this past|this|last|next)\s+)?{WEEKDAY},?\s+(?:the\s+)?)?"
           rf"(?:{_EDGE}\s+)?(?:"
           rf"{MONTH}\s+{_DAY}(?:\s*(?:-|–|to|and)\s*{_DAY})?(?:,?\s+{_YEAR})?"
           rf"|{_DAY}(?:\s*(?:-|–|to|and)\s*{_DAY})?\s+(?:of\s+)?{MONTH}(?:,?\s+{_YEAR})?"
           rf"|{MONTH}\s+{_DAY_WORD}(?:,?\s+{SPELLED_YEAR})?"
           rf"|(?i:the)\s+{_DAY_WORD}\s+of\s+{MONTH}(?:,?\s+{_YEAR})?"
           rf"|{_DAY}\s+(?:of\s+)?(?:{_MONTH_LOWER}),?\s+{_YEAR}"
           rf"|(?:{_MONTH_LOWER})\s+{_DAY},?\s+{_YEAR})(?![\w-])"),
    ("iso", r"(?<![\w/.-])(?:19|20)\d\d-[01]\d-[0-3]\d(?=T\d|(?![\w/-]))"),
    # Day, month and year with dots, as Ukrainian and Russian sources write them: 30.09.2022.
    ("dotted", r"(?<![\w.,])(?:3[01]|[12]\d|0?[1-9])\.(?:1[0-2]|0?[1-9])\.(?:19|20)\d\d"
               r"(?![\w]|\.\d)"),
    # Month with year: "March 1996", "June last year", "January nineteen ninety-seven".
    ("my", rf"(?:{_MONTH_LOWER})(?:{_MONTH_SPAN})?,?\s+{_YEAR}(?![\w-])"
           rf"|(?:{_EDGE}[- ]|{_PART}\s+)?(?:{_MONTH_FULL}|{_MONTH_ABBR})"
           rf"(?:{_MONTH_SPAN})?(?:,?\s+|\s+of\s+)"
           rf"(?:{_YEAR}|{SPELLED_YEAR}|(?i:last|this|next) year)(?![\w-])"),
    ("mon", rf"(?:(?i:this past|this coming|last|this|next|early|late|mid-|mid|"
            rf"the middle of|the beginning of|the start of|the end of)\s*)?"
            rf"(?:{_MONTH_FULL}|Sept\.)(?![\w-])"),
    # "the third quarter of 1990", "third-quarter" (no article before the adjective form),
    # "the year-ago quarter", "the latest period", "Q3 2022".
    ("quarter", rf"(?:(?:{_Q_MOD}[\s-]+)*(?:(?i:fiscal|calendar)[\s-]+)?{_Q_ORD}-(?i:quarter|half)"
                rf"|(?:(?i:the|this|last|next)\s+)?(?:{_Q_MOD}\s+)*{_Q_ORD}\s+"
                rf"(?:(?i:fiscal|calendar)\s+)?(?i:quarter|half){_Q_TAIL}"
                rf"|(?i:the|this|that|last|next)\s+(?:{_Q_MOD}\s+)*(?i:quarter|period){_Q_TAIL}"
                rf"|(?:{_Q_MOD}\s+)+(?i:quarter|period){_Q_TAIL}"
                rf"|Q[1-4]|H[12]|(?i:the )?(?i:first|last) two quarters{_Q_TAIL})"
                rf"(?:,?\s+{_YEAR})?(?![\w-])"),
    # "year-earlier profit": a year before the last quarter mentioned, or before publication.
    ("yearago", r"(?i:year-earlier|year-ago)(?![\w-])"),
    ("season", rf"(?:(?i:this past|this coming|last|this|next|early|late|mid-)\s*|(?i:the)\s+"
               rf"(?:(?i:early|late)\s+)?)?(?i:spring|summer|fall|autumn|winter)"
               rf"(?:\s+of\s+(?:{_YEAR}|{SPELLED_YEAR}))?(?![\w-])"),
    ("ago", rf"(?:(?i:nearly|almost|about|some|more than|less than|over|just|only|exactly)\s+)?"
            rf"{_NUM}\s+{_UNIT}\s+(?:(?i:or so)\s+)?"
            rf"(?i:ago|earlier|later|before|after|previously|from now|hence)(?![\w-])"),
    ("unit", rf"(?:(?:{_EDGE}|(?i:sometime|around|by))\s+|{_PART}\s+)?(?:{_REL}\s+"
             rf"(?i:week|month|year|weekend|decade|century|day|morning|afternoon|evening|night)"
             rf"|(?i:the weekend))(?![\w-])"
             rf"|{_EDGE}\s+(?i:in the (?:year|month|week|day))(?![\w-])"),
    ("yearend", r"(?:(?i:the|around)\s+)?(?i:year[- ]end|year's end|end of the (?:year|month)"
                r"|the end of the (?:year|month)|the (?:full|fiscal|current fiscal|current|"
                r"latest fiscal|previous fiscal|prior|following|previous) year"
                r"|the year(?! (?:earlier|ago|before|after|later|to date|in review|two|nineteen"
                r"|twenty|\d)))(?![\w-])"),
    ("day", rf"(?:(?:{_EDGE})\s+)?(?i:the day (?:before yesterday|after tomorrow)|yesterday"
            rf"|today|tomorrow|tonight|last night)(?![\w-])"),
    ("wday", rf"(?:(?:{_EDGE}|(?i:last|this|next|this coming|this past|the previous"
             rf"|the following|the next|the same))\s+)?{WEEKDAY}(?![\w-])"),
    ("decade", rf"(?:(?i:the)\s+)?(?:{_EDGE}[- ]?)?(?:(?:1\d|20)\d0'?s|'\d0s"
               rf"|(?i:{_alt(DECADE_WORDS)})"
               rf"|\d{{1,2}}(?:st|nd|rd|th) century)(?![\w-])"),
    # A span of years, "2022-2023", "2022-23": the first one.
    ("yrange", rf"{_YEAR}\s*[-–—/]\s*(?:{_YEAR}|\d\d)(?![\w%-])"),
    ("year", rf"(?:(?:(?i:fiscal(?: year)?|calendar|the year|{_EDGE})[- ]?|{_PART}\s+"
             rf")?(?:{_YEAR}(?![\w,.]\d)(?!-\d)"
             rf"|(?i:the year)\s+{SPELLED_YEAR}|{SPELLED_YEAR}(?=[\s.,;:!?)]|$)))(?![\w-])"),
    ("ref", r"(?i:right now|now|currently|at present|presently|these days|nowadays|recently"
            r"|more recently|lately|the past(?! (?:\d|few|several|two|three|four|five))"
            r"|(?:the )?(?:near|distant|foreseeable) future|the future|the (?:near|short) term"
            r"|as soon as possible|(?<!as )soon(?! as| after)"
            r"|(?:recent|past) (?:years|days|weeks|months|decades|quarters)"
            r"|(?:the )?(?:coming|future) (?:days|weeks|months|years|quarters)"
            r"|the (?:past|last) (?:few|several) (?:days|weeks|months|years|quarters)"
            r"|(?<=the )current(?= [a-z]))(?![\w-])"),
]


def _trie(words: list[str]) -> str:
    """A regex matching exactly these words, branching one character at a time: the regex
    engine tries alternatives in turn, so a trie rejects a non-matching word at once."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


# Every word a date expression can begin with. Checking it first, through a trie, spares the
# full alternation at the great majority of word starts (it made the scan about 5x faster).
_FIRST_WORDS = [
    *MONTHS, *WEEKDAYS, *SEASONS, *ORDINALS, *NUMBERS, *DECADE_WORDS,
    "the", "this", "that", "last", "next", "early", "earlier", "late", "later", "mid",
    "new", "christmas", "victory",
    "its", "their", "year", "fiscal", "calendar", "comparable", "same", "corresponding",
    "latest", "current", "previous", "preceding", "prior", "flat", "weak", "strong", "recent",
    "most", "just", "final", "q1", "q2", "q3", "q4", "h1", "h2", "nearly", "almost", "about",
    "some", "more", "less", "over", "only", "exactly", "few", "several", "many", "sometime",
    "around", "by", "yesterday", "today", "tomorrow", "tonight", "right", "now", "currently",
    "at", "presently", "these", "nowadays", "recently", "lately", "near", "distant",
    "foreseeable", "as", "soon", "past", "coming", "future", "1st", "2nd", "3rd", "4th",
]
# Written in lowercase, capitalised or in capitals: a case-sensitive trie of the three
# forms rejects a word faster than a case-insensitive one.
_CASES = (str.lower, str.capitalize, str.upper)



@cache
def timex_re() -> re.Pattern[str]:
    """The date-expression regex, compiled on first use (about 14 ms, kept off import time).

    Each match's `lastgroup` names its kind, which `timex_resolve` dispatches on."""
    first = rf"(?={_trie(sorted({f(w) for w in _FIRST_WORDS for f in _CASES}))}\b|\d|')"
    return re.compile(
        r"(?<![\w'’$£€#©/\\-])" + first
        + "(?:" + "|".join(f"(?P<{kind}>{body})" for kind, body in _KINDS) + ")"
    )

# Spans that are never dates: links and bare URLs.
URL_RE = re.compile(r"\]\([^)\s]*\)|https?://\S+|www\.\S+")

# Words right after a number that make it a count, not a year ("2000 troops").
COUNT_NOUN_RE = re.compile(
    r"\s+(?:troops|soldiers|people|men|women|residents|civilians|refugees|prisoners|tons|tonnes"
    r"|miles|kilometers|kilometres|km|metres|meters|feet|dollars|euros|pounds|shares|barrels"
    r"|vehicles|tanks|units|homes|houses|jobs|workers|employees|points|votes|members|children"
    r"|hectares|acres|rounds|missiles|drones|pages|hours|GMT|local|[Bb]rigade|[Dd]ivision|times)"
    r"\b"
)
# Names with a weekday in them: "the Sunday Times", "the Good Friday Agreement".
WEEKDAY_NAME_BEFORE_RE = re.compile(r"(?:Good|Black|Bloody|Ash|Palm|Holy|Easter|Super|Cyber"
                                    r"|Maundy|Shrove)\s+$")
WEEKDAY_NAME_AFTER_RE = re.compile(r"\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Mail"
                                   r"|Independent|Agreement|Accord|Night Football)\b")
# Words before a number that make it a label ("Route 2014", "Resolution 2334").
LABEL_BEFORE_RE = re.compile(
    r"(?:No\.|[Nn]umber|Route|Highway|Resolution|[Mm]odel|Flight|[Rr]oom|[Pp]age|Article"
    r"|Section|Rule|[Bb]rigade|Unit|[Ll]ine|[Pp]lot|[Cc]ode|[Ii]tem|at|[Ss]treet|[Bb]uilding"
    r"|Copyright|\(c\)|©)\s*$"
)
