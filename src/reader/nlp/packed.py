"""The entity extractor's data files, in layouts that load in a few milliseconds.

The tagger's weights were JSON lists of floats: parsing 1.5 MB of them took over 100 ms at
the first story opened. They are now a feature-name block and three flat arrays, turned
into Python objects by C-level calls only (split, array.frombytes, dict(zip(...))). The
gazetteer groups its tokens by their flags, so that the table is built by one
dict.fromkeys per flag set instead of one JSON key per token.

    read_model(raw) / write_model(weights, trans, tags)   data/ner_model.bin.gz
    read_flags(raw) / write_flags(table)                  data/gazetteer.json.gz
"""

from __future__ import annotations

import gzip
import json
import sys
from array import array
from itertools import accumulate

SCALE = 100  # weights are stored as integers in hundredths


class Model:
    """Sparse weight rows: feature k's (tag, weight) pairs are tags[offsets[k]:offsets[k+1]]
    and weights[...] (in hundredths); `index` maps a feature's name to k."""

    __slots__ = ("index", "offsets", "tags", "trans", "weights")

    def __init__(self, index: dict[str, int], offsets: list[int], tags: bytes,
                 weights: array[int], trans: list[list[float]]) -> None:
        self.index, self.offsets, self.tags, self.weights = index, offsets, tags, weights
        self.trans = trans  # tag transitions, in the same hundredths as the weights


def write_model(weights: dict[str, list[float]], trans: list[list[float]],
                tags: list[str]) -> bytes:
    """The gzipped file for `weights` (feature → [tag, weight, tag, weight, ...])."""
    names = list(weights)
    if any("\n" in n for n in names):
        raise ValueError("a feature name holds a line break")
    counts = bytearray()
    tag_ids = bytearray()
    values = array("h")
    for name in names:
        row = weights[name]
        counts.append(len(row) // 2)
        for i in range(0, len(row), 2):
            tag_ids.append(int(row[i]))
            values.append(round(row[i + 1] * SCALE))
    if sys.byteorder == "big":
        values.byteswap()
    block = "\n".join(names).encode("utf-8")
    head = {"tags": tags, "trans": [[round(v * SCALE) for v in r] for r in trans],
            "features": len(names), "pairs": len(tag_ids), "names_bytes": len(block)}
    payload = b"".join([json.dumps(head, separators=(",", ":")).encode(), b"\n", block,
                        bytes(counts), bytes(tag_ids), values.tobytes()])
    return gzip.compress(payload, 9, mtime=0)


def read_model(raw: bytes) -> Model:
    data = gzip.decompress(raw)
    cut = data.index(b"\n")
    head = json.loads(data[:cut])
    n, pairs, size = head["features"], head["pairs"], head["names_bytes"]
    pos = cut + 1
    names = data[pos : pos + size].decode("utf-8").split("\n")
    pos += size
    counts = data[pos : pos + n]
    pos += n
    tags = data[pos : pos + pairs]
    pos += pairs
    weights = array("h")
    weights.frombytes(data[pos : pos + 2 * pairs])
    if sys.byteorder == "big":
        weights.byteswap()
    return Model(dict(zip(names, range(n), strict=True)), list(accumulate(counts, initial=0)),
                 tags, weights, head["trans"])


def write_flags(table: dict[str, str]) -> bytes:
    """The gzipped gazetteer: {flags: "token\\ntoken..."}."""
    groups: dict[str, list[str]] = {}
    for token, flags in sorted(table.items()):
        if "\n" in token:
            raise ValueError(f"a token holds a line break: {token!r}")
        groups.setdefault(flags, []).append(token)
    body = {flags: "\n".join(tokens) for flags, tokens in sorted(groups.items())}
    return gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
                         9, mtime=0)


def read_flags(raw: bytes) -> dict[str, str]:
    table: dict[str, str] = {}
    for flags, block in json.loads(gzip.decompress(raw)).items():
        table.update(dict.fromkeys(block.split("\n"), flags))
    return table
