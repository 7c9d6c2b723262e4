"""The learned entity tagger: an averaged structured perceptron over BIO tags.

Trained by scripts/train_ner.py on the CoNLL-2003 English training split; the weights
live in data/ner_model.bin.gz (see packed.py) and are loaded on first use. Only
capitalised tokens (and connectors between them) are scored; the rest are outside any
entity by construction.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from operator import add

from reader.nlp.ner_features import (
    CONTEXT_OFFSETS,
    LINE_BREAK,
    TAGS,
    candidates,
    context_features,
    doc_flags,
    line_flags,
    word_features,
)
from reader.nlp.packed import Model, read_flags, read_model

MODEL_FILE = "ner_model.bin.gz"
NEG = -1e9
_CACHE_LIMIT = 200_000
Vector = Sequence[float]


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_bytes(name: str) -> bytes:
    """A file of data/ (read as a plain file: importlib.resources alone costs several ms
    of import time, and the package is always installed unzipped)."""
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


@cache
def gazetteer() -> dict[str, str]:
    """Lowercase token → one-letter gazetteer flags (see scripts/build_gazetteer.py)."""
    return read_flags(data_bytes("gazetteer.json.gz"))


class Tagger:
    """Scores BIO tags for the candidate tokens of a document and decodes the best path.
    Scores are in the model's hundredths (integers), which changes no best path."""

    def __init__(self, model: Model) -> None:
        self.n = len(TAGS)
        self.model = model
        self.trans = [list(r) for r in model.trans]
        for p, prev in enumerate(TAGS):
            for c, cur in enumerate(TAGS):
                if cur.startswith("I-") and prev[2:] != cur[2:]:
                    self.trans[p][c] = NEG
        self.start = self.trans[0]  # a run always follows an outside token
        self.end = [row[0] for row in self.trans]
        self.start_end = [s + e for s, e in zip(self.start, self.end, strict=True)]
        self.zero = (0,) * self.n
        # per tag: the transition scores into it, and for I- tags the only two allowed
        # predecessors (its B- and itself)
        self.columns: list[tuple[list[float], tuple[int, int] | None]] = [
            ([row[c] for row in self.trans], (c - 1, c) if TAGS[c].startswith("I-") else None)
            for c in range(self.n)
        ]
        self.gaz = gazetteer()
        self._own: dict[tuple[str, bool, bool], Vector] = {}
        self._ctx: dict[tuple[str, int], Vector] = {}
        self._flags: dict[str, Vector] = {}

    def _sum(self, feats: list[str]) -> Vector:
        v = [0] * self.n
        model = self.model
        get, offsets, tags, weights = model.index.get, model.offsets, model.tags, model.weights
        for f in feats:
            k = get(f)
            if k is not None:
                for p in range(offsets[k], offsets[k + 1]):
                    v[tags[p]] += weights[p]
        return tuple(v)

    def own(self, word: str, init: bool, upline: bool) -> Vector:
        key = (word, init, upline)
        v = self._own.get(key)
        if v is None:
            if len(self._own) > _CACHE_LIMIT:
                self._own.clear()
            gaz = self.gaz.get(word.lower(), "")
            v = self._own[key] = self._sum(word_features(word, init, upline, gaz))
        return v

    def ctx(self, word: str, offset: int) -> Vector:
        key = (word, offset)
        v = self._ctx.get(key)
        if v is None:
            if len(self._ctx) > _CACHE_LIMIT:
                self._ctx.clear()
            v = self._ctx[key] = self._sum(context_features(word, offset))
        return v

    def flags(self, flags: str) -> Vector:
        v = self._flags.get(flags)
        if v is None:
            v = self._flags[flags] = self._sum(["d=" + f for f in flags])
        return v

    def tag(
        self, text: str, spans: list[tuple[int, int]], inits: list[bool],
        words: list[str] | None = None,
    ) -> list[tuple[int, int, str]]:
        """Entities as (first token, last token + 1, type) over the tokens `spans` of text
        (`words`: their text, when the caller has it); types are PER, LOC, ORG and MISC."""
        doc = Doc(text, spans, inits, words)
        out: list[tuple[int, int, str]] = []
        start_end = self.start_end
        for i, j in doc.runs():
            if j - i == 1:  # most runs: one capitalised word, no path to decode
                final = list(map(add, start_end, self.emission(doc, i)))
                t = final.index(max(final))
                if t:
                    out.append((i, j, TAGS[t][2:]))
                continue
            tags = self.decode([self.emission(doc, k) for k in range(i, j)])
            out.extend(_spans(tags, i))
        return out

    def emission(self, doc: Doc, k: int) -> Vector:
        own = self._own.get((doc.words[k], doc.inits[k], doc.upline[k]))
        a = own or self.own(doc.words[k], doc.inits[k], doc.upline[k])
        m2, m1, p1, p2 = doc.context(k)
        get, ctx = self._ctx.get, self.ctx
        b = get((m2, -2)) or ctx(m2, -2)
        c = get((m1, -1)) or ctx(m1, -1)
        d = get((p1, 1)) or ctx(p1, 1)
        e = get((p2, 2)) or ctx(p2, 2)
        f = self.flags(doc.dflags[k]) if doc.dflags[k] else self.zero
        return [p + q + r + s + t + u for p, q, r, s, t, u in zip(a, b, c, d, e, f, strict=True)]

    def decode(self, emissions: list[Vector]) -> list[int]:
        """Viterbi over one run of candidate tokens, entered from and left to outside."""
        start, end = self.start, self.end
        e = emissions[0]
        if len(emissions) == 1:  # most runs: one capitalised word
            final = list(map(add, self.start_end, e))
            return [final.index(max(final))]
        score = list(map(add, start, e))
        back: list[list[int]] = []
        for e in emissions[1:]:
            new: list[float] = []
            ptr: list[int] = []
            for c, (col, preds) in enumerate(self.columns):
                if preds:  # I-X: only B-X or I-X may come before
                    b, i = preds
                    bp = b if score[b] + col[b] >= score[i] + col[i] else i
                    ptr.append(bp)
                    new.append(score[bp] + col[bp] + e[c])
                else:
                    vals = list(map(add, score, col))
                    best = max(vals)
                    ptr.append(vals.index(best))
                    new.append(best + e[c])
            back.append(ptr)
            score = new
        final = [s + x for s, x in zip(score, end, strict=True)]
        t = final.index(max(final))
        path = [t]
        for ptr in reversed(back):
            t = ptr[t]
            path.append(t)
        path.reverse()
        return path


class Doc:
    """The per-document facts the tagger's features need."""

    def __init__(self, text: str, spans: list[tuple[int, int]], inits: list[bool],
                 words: list[str] | None = None) -> None:
        self.words = [text[a:b] for a, b in spans] if words is None else words
        self.inits = inits
        self.cand = candidates(self.words)
        self.upline, self.first, self.last = line_flags(text, spans)
        self.dflags = doc_flags(self.words, inits, self.cand)

    def runs(self) -> list[tuple[int, int]]:
        """(start, end) token ranges of consecutive candidates within one line."""
        out: list[tuple[int, int]] = []
        cand, first = self.cand, self.first
        n = len(cand)
        i = 0
        while i < n:
            if not cand[i]:
                i += 1
                continue
            j = i + 1
            while j < n and cand[j] and not first[j]:
                j += 1
            out.append((i, j))
            i = j
        return out

    def context(self, k: int) -> tuple[str, str, str, str]:
        """The words at offsets -2, -1, +1, +2 from token k, LINE_BREAK past its line."""
        words, first, last = self.words, self.first, self.last
        if first[k]:
            m1 = m2 = LINE_BREAK
        else:
            m1 = words[k - 1]
            m2 = LINE_BREAK if first[k - 1] else words[k - 2]
        if last[k]:
            p1 = p2 = LINE_BREAK
        else:
            p1 = words[k + 1]
            p2 = LINE_BREAK if last[k + 1] else words[k + 2]
        return m2, m1, p1, p2

    def features(self, k: int, gaz: dict[str, str]) -> list[str]:
        """Every feature of token k, as the tagger sums them (used in training)."""
        word = self.words[k]
        feats = word_features(word, self.inits[k], self.upline[k], gaz.get(word.lower(), ""))
        for off, neighbour in zip(CONTEXT_OFFSETS, self.context(k), strict=True):
            feats.extend(context_features(neighbour, off))
        feats.extend("d=" + f for f in self.dflags[k])
        return feats


def _spans(tags: list[int], offset: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, t in enumerate(tags):
        name = TAGS[t]
        if name == "O" or name.startswith("B-"):
            if kind:
                out.append((offset + start, offset + i, kind))
            start, kind = (i, name[2:]) if name != "O" else (-1, "")
    if kind:
        out.append((offset + start, offset + len(tags), kind))
    return out


@cache
def tagger() -> Tagger:
    """The trained tagger, loaded once."""
    return Tagger(read_model(data_bytes(MODEL_FILE)))
