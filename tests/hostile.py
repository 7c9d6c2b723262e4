"""Hostile inputs and process-tree probes shared by the fault tests (core and UI)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

LINUX = sys.platform.startswith("linux")


def heavy_page(cells: int = 40_000) -> bytes:
    """One table row of `cells` cells: extraction time grows faster than linearly with it
    (40,000 cells take about 7 s of processor time, 200,000 take minutes)."""
    words = "A paragraph of real words about the war and the front line. " * 20
    return (f"<html><head><title>Table</title></head><body><article><h1>Table</h1><p>{words}"
            f"</p><table><tr>{'<td>x</td>' * cells}</tr></table></article></body></html>"
            ).encode()


GOOD_PAGE = (b"<html><body><article><h1>Good</h1><p>"
             + b"Kyiv said on Monday that the bridge had been repaired and reopened. " * 10
             + b"</p></article></body></html>")


def hog_memory() -> int:
    """Allocates far more than any page should need."""
    return len(bytearray(3_000_000_000))


def children(pid: int) -> set[int]:
    """Direct children of `pid`, from /proc (Linux)."""
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        found.update(int(p) for p in text.split())
    return found


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def pool_workers(pid: int) -> set[int]:
    """The live worker processes of `pid`'s pool (other children, such as servers, left out)."""
    found = set()
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"pipeline.pool" in cmdline and alive(child):
            found.add(child)
    return found
