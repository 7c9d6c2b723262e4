"""The gazetteer's file format: rows and a sorted key index in small compressed blocks, so
that looking up a story's thirty names reads a few kilobytes, not the whole gazetteer.

    b"WRGAZ1\\n", header length (4 bytes, little-endian), header (JSON), blocks (zlib)

The header lists the key blocks (the first key of each, offset, length) and the row blocks
(offset, length). A key block holds lines "key<TAB>row id row id ...", sorted by key; a row
block holds ROWS_PER_BLOCK rows. Row ids count from 0 in file order. Reading the header is
the whole cost of opening a file (about a millisecond); a block is inflated on first use and
kept.
"""

from __future__ import annotations

import bisect
import json
import struct
import zlib
from collections.abc import Iterable, Iterator

MAGIC = b"WRGAZ1\n"
ROWS_PER_BLOCK = 64
KEYS_PER_BLOCK = 256


def pack(rows: list[str], keys_of: Iterable[list[str]]) -> bytes:
    """The file for `rows` (in the order given) and each row's index keys."""
    index: dict[str, list[int]] = {}
    for i, keys in enumerate(keys_of):
        for key in keys:
            ids = index.setdefault(key, [])
            if not ids or ids[-1] != i:
                ids.append(i)
    blobs: list[bytes] = []
    row_blocks: list[list[int]] = []
    key_blocks: list[list[object]] = []
    offset = 0

    def add(text: str) -> list[int]:
        nonlocal offset
        blob = zlib.compress(text.encode(), 9)
        blobs.append(blob)
        span = [offset, len(blob)]
        offset += len(blob)
        return span

    for start in range(0, len(rows), ROWS_PER_BLOCK):
        row_blocks.append(add("\n".join(rows[start:start + ROWS_PER_BLOCK])))
    ordered = sorted(index)
    for start in range(0, len(ordered), KEYS_PER_BLOCK):
        chunk = ordered[start:start + KEYS_PER_BLOCK]
        text = "\n".join(f"{k}\t{' '.join(map(str, index[k]))}" for k in chunk)
        key_blocks.append([chunk[0], *add(text)])
    header = json.dumps({"rows": row_blocks, "keys": key_blocks, "count": len(rows)},
                        separators=(",", ":")).encode()
    return MAGIC + struct.pack("<I", len(header)) + header + b"".join(blobs)


class BlockFile:
    """One packed file, read lazily. Raises ValueError for a file that is not one."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
            raise ValueError("not a gazetteer file")
        (size,) = struct.unpack_from("<I", data, len(MAGIC))
        start = len(MAGIC) + 4
        header = json.loads(data[start:start + size])
        self._data = memoryview(data)[start + size:]
        self._rows: list[tuple[int, int]] = [(int(o), int(n)) for o, n in header["rows"]]
        self._keys: list[tuple[int, int]] = [(int(o), int(n)) for _, o, n in header["keys"]]
        self._first: list[str] = [str(k) for k, _, _ in header["keys"]]
        self.count = int(header["count"])
        self._key_cache: dict[int, list[str]] = {}
        self._row_cache: dict[int, list[str]] = {}

    def _inflate(self, span: tuple[int, int]) -> str:
        o, n = span
        return zlib.decompress(self._data[o:o + n]).decode()

    def ids(self, key: str) -> list[int]:
        """The ids of the rows indexed under `key`."""
        b = bisect.bisect_right(self._first, key) - 1
        if b < 0:
            return []
        lines = self._key_cache.get(b)
        if lines is None:
            lines = self._key_cache[b] = self._inflate(self._keys[b]).split("\n")
        # Lines are sorted by key, and the tab sorts before any character of a key.
        want = key + "\t"
        j = bisect.bisect_left(lines, want)
        if j < len(lines) and lines[j].startswith(want):
            return [int(i) for i in lines[j][len(want):].split()]
        return []

    def row(self, i: int) -> str:
        b, j = divmod(i, ROWS_PER_BLOCK)
        block = self._row_cache.get(b)
        if block is None:
            block = self._row_cache[b] = self._inflate(self._rows[b]).split("\n")
        return block[j]

    def rows(self) -> Iterator[str]:
        for b in range(len(self._rows)):
            for j in range(ROWS_PER_BLOCK):
                i = b * ROWS_PER_BLOCK + j
                if i >= self.count:
                    return
                yield self.row(i)
