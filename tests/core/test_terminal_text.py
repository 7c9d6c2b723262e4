"""Nothing a server sends reaches the terminal as an escape sequence, a bidi override or an
invisible character: not through stories, not through headers quoted in error messages.

Real `warreader` processes against a real HTTP server on 127.0.0.1; the TUI through Pilot.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.store import Store
from reader.text import clean_line, strip_controls
from tests.conftest import LocalServer

# Escape sequences that set the clipboard (OSC 52) or the window title, colour the text,
# and an 8-bit CSI: each changed a terminal when a header carried it into an error.
HEADERS = ["\x1b]52;c;d2h5\x07", "\x1b]2;title\x07", "\x1b[31mred", "\x9b31mred"]
# Characters that reorder or hide the text around them.
BIDI = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u202d", "\u200b", "\ufeff"]


def wr(*args: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "WARREADER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(home), *args],
                          env=env, capture_output=True, timeout=60)


OVERRIDES = BIDI[:6]  # a story's body keeps zero-width spaces: Thai and Khmer need them


def unsafe(output: bytes, invisible: list[str] = BIDI) -> list[str]:
    text = output.decode("utf-8", "replace")
    found = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f]
    return found + [c for c in invisible if c in text]


def test_header_escapes_never_reach_the_terminal(local_server: LocalServer,
                                                 tmp_path: Path) -> None:
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    for n, value in enumerate(HEADERS):
        def answer(_h: BaseHTTPRequestHandler, value: str = value) -> tuple[int, dict[str, str],
                                                                             bytes]:
            return 200, {"Content-Type": "application/xml", "Content-Encoding": value}, feed

        local_server.routes[f"/{n}.xml"] = answer  # type: ignore[assignment]
    home = tmp_path / "home"
    for n in range(len(HEADERS)):
        added = wr("add", local_server.url(f"/{n}.xml"), home=home)
        assert added.returncode == 1
        assert b"compression" in added.stderr
        assert not unsafe(added.stdout + added.stderr), added.stderr
    with Store(home / "data" / "warreader.sqlite3") as store:
        for n in range(len(HEADERS)):
            store.add_feed(local_server.url(f"/{n}.xml"))
    refreshed = wr("refresh", home=home)
    assert refreshed.returncode == 3
    assert refreshed.stdout.count(b"compression") == len(HEADERS)
    assert not unsafe(refreshed.stdout + refreshed.stderr), refreshed.stdout


def _hostile_feed(server: LocalServer) -> None:
    title = "Kyiv \u202egnp.exe\u202c \u2066report\u2069 \u200bzero\ufeff \x9b31m"
    server.routes["/feed.xml"] = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {BIDI[0]}</title>'
        f"<item><title>{title}</title><guid>1</guid><link>{server.base}/1</link>"
        f"<description>Body {''.join(BIDI)} text about Kyiv.</description></item>"
        "</channel></rss>")


def test_bidi_and_invisible_characters_are_removed_from_every_output(
        local_server: LocalServer, tmp_path: Path) -> None:
    _hostile_feed(local_server)
    home = tmp_path / "home"
    assert wr("add", local_server.url("/feed.xml"), home=home).returncode == 0
    assert wr("refresh", "--feeds-only", home=home).returncode == 0
    outputs = {
        "list": wr("list", home=home), "json": wr("list", "--json", home=home),
        "search": wr("search", "Kyiv", home=home), "show": wr("show", "1", home=home),
        "show-json": wr("show", "1", "--json", home=home), "feeds": wr("feeds", home=home),
    }
    for name, result in outputs.items():
        assert result.returncode == 0, (name, result.stderr)
        assert (b"Wire" if name == "feeds" else b"Kyiv") in result.stdout, name
        body_too = name.startswith("show")
        assert not unsafe(result.stdout, OVERRIDES if body_too else BIDI), (name, result.stdout)
    assert json.loads(outputs["json"].stdout)["title"].startswith("Kyiv gnp.exe")


def test_an_old_cache_holding_bidi_characters_prints_clean(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = home / "data" / "warreader.sqlite3"
    with Store(db) as store:
        feed = store.add_feed("http://127.0.0.1:9/feed.xml", "Wire")
    conn = sqlite3.connect(db)  # written as an older warreader would have
    conn.execute("INSERT INTO stories (feed_id, guid, title, body, fetched) VALUES"
                 " (?, 'g', ?, ?, 0)", (feed.id, "Kyiv \u202eevil\u202c", "Body \u2067x\u2069"))
    conn.commit()
    conn.close()
    for args in (("list",), ("list", "--json"), ("show", "1")):
        result = wr(*args, home=home)
        assert result.returncode == 0 and b"Kyiv" in result.stdout
        assert not unsafe(result.stdout, OVERRIDES), (args, result.stdout)


@pytest.mark.parametrize("char", [*BIDI, "\u200e", "\u200f", "\u2060", "\u061c"])
def test_single_line_text_drops_reordering_and_invisible_characters(char: str) -> None:
    assert clean_line(f"a{char}b") == "ab"


def test_multi_line_text_drops_overrides_and_keeps_joiners() -> None:
    assert strip_controls("a\u202eb\u2066c\u2069\nd") == "abc\nd"
    # ZWNJ and ZWJ are part of Persian words and emoji sequences
    joined = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb"
    assert strip_controls(joined) == joined


async def test_story_rows_from_an_old_cache_show_no_bidi_characters(tmp_path: Path) -> None:
    from tests.ui.support import make_app, screen_text, settle

    db = tmp_path / "cache.sqlite3"
    with Store(db) as store:
        feed = store.add_feed("http://127.0.0.1:9/feed.xml", "Wire")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO stories (feed_id, guid, title, body, fetched, published) VALUES"
                 " (?, 'g', ?, 'b', 0, 1700000000)", (feed.id, "Kyiv \u202eevil\u202c \u200bend"))
    conn.commit()
    conn.close()
    store = Store(db)
    try:
        app = make_app(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            text = screen_text(app)
        assert "Kyiv evil end" in text
        assert not [c for c in BIDI if c in text]
    finally:
        store.close()
