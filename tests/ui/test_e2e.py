"""End to end: the real `warreader` in tmux against a feedfarm on 127.0.0.1: refresh, open a
story, quit. Skipped when tmux, the `warreader` script or the pipeline is not available."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FEEDFARM = Path(__file__).resolve().parents[3] / "shared" / "tools" / "feedfarm.py"
WARREADER = Path(sys.executable).with_name("warreader")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not WARREADER.exists(), reason="the warreader script is not installed"),
    pytest.mark.skipif(not FEEDFARM.exists(), reason="feedfarm.py is not available"),
    pytest.mark.skipif(importlib.util.find_spec("reader.content.article") is None,
                       reason="the extraction pipeline (reader.content.article) is not there yet"),
]


@pytest.fixture
def farm(tmp_path: Path) -> Iterator[Path]:
    urls = tmp_path / "urls.txt"
    proc = subprocess.Popen([sys.executable, str(FEEDFARM), "--port", "0", "--feeds", "2",
                             "--items", "3", "--seconds", "120", "--urls-file", str(urls)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("READY")
    try:
        yield urls
    finally:
        proc.terminate()
        proc.wait(10)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def wait_screen(session: str, pattern: str, timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < end:
        screen = tmux("capture-pane", "-p", "-t", session)
        if re.search(pattern, screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{screen}")


def test_refresh_open_and_quit_in_a_real_terminal(farm: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "WARREADER_HOME": str(home)}
    for url in farm.read_text().split():
        subprocess.run([str(WARREADER), "add", url], env=env, check=True, capture_output=True,
                       timeout=60)
    session = f"e2e{os.getpid()}"
    tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "40",
         f"env WARREADER_HOME={home} TERM=xterm-256color {WARREADER}; echo EXITED $?; sleep 5")
    try:
        wait_screen(session, r"All stories 0")
        tmux("send-keys", "-t", session, "r")
        screen = wait_screen(session, r"All stories [1-9]", timeout=90)
        time.sleep(1.0)  # let the refresh finish (the report or a notice appears)
        screen = tmux("capture-pane", "-p", "-t", session)
        if "Refresh finished" in screen:
            tmux("send-keys", "-t", session, "Escape")
        tmux("send-keys", "-t", session, "Enter")
        wait_screen(session, r"http://127\.0\.0\.1:\d+/article/")
        tmux("send-keys", "-t", session, "e")  # shows the side pane on a narrow terminal too
        screen = wait_screen(session, r"Entities")
        assert "Timeline" in screen
        tmux("send-keys", "-t", session, "q")
        wait_screen(session, r"EXITED 0", timeout=15)
    finally:
        tmux("kill-session", "-t", session)
    from reader.paths import default_paths
    from reader.store import Store

    with Store(default_paths(home).db_file) as store:
        assert store.count_stories() == 6
        assert store.count_stories(unread=False) >= 1  # the opened story was marked read


def test_imported_feeds_stream_in_before_a_slow_one_ends(tmp_path: Path) -> None:
    """From the welcome screen, import an OPML list holding a feed that answers one byte
    every two seconds: the other feeds' stories are on screen while it is still fetching."""
    opml = tmp_path / "subs.opml"
    proc = subprocess.Popen([sys.executable, str(FEEDFARM), "--port", "0", "--feeds", "2",
                             "--items", "3", "--seconds", "120", "--opml", str(opml)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    base = proc.stdout.readline().split()[-1]
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text("[network]\ntimeout = 60\n")
    text = opml.read_text()
    opml.write_text(text.replace(
        "</body>", f'<outline type="rss" xmlUrl="{base}/fault/slow.xml"/></body>'))
    session = f"e2s{os.getpid()}"
    tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "40",
         f"env WARREADER_HOME={home} TERM=xterm-256color {WARREADER}; echo EXITED $?; sleep 5")
    try:
        wait_screen(session, r"Import an OPML")
        tmux("send-keys", "-t", session, "j", "j", "j", "Enter")
        wait_screen(session, r"Import subscriptions")
        tmux("send-keys", "-t", session, "-l", str(opml))
        tmux("send-keys", "-t", session, "Enter")
        started = time.monotonic()
        # The slow feed shows at once, by its address, while it is fetched.
        wait_screen(session, r"127\.0\.0\.1:\d+/fau", timeout=20)
        screen = wait_screen(session, r"update [01]-\d", timeout=40)
        assert "x cancels" in screen, "the refresh should still be running"
        assert time.monotonic() - started < 40  # well before the slow feed could end
        tmux("send-keys", "-t", session, "x")
        wait_screen(session, r"cancelled", timeout=30)
        tmux("send-keys", "-t", session, "q")
        wait_screen(session, r"EXITED 0", timeout=15)
    finally:
        tmux("kill-session", "-t", session)
        proc.terminate()
        proc.wait(10)
