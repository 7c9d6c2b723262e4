"""Fixtures of the UI tests: a cache filled with made-up stories, hostile titles included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from reader.store import Store
from tests.ui.map_support import front_store
from tests.ui.support import fill_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = fill_store(tmp_path / "cache.sqlite3", hostile=True)
    yield s
    s.close()


@pytest.fixture
def front(tmp_path: Path) -> Iterator[Store]:
    """Made-up stories of the Kharkiv counteroffensive, naming real places (map tests)."""
    s = front_store(tmp_path / "front.sqlite3")
    yield s
    s.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "cache.sqlite3")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors start steady: a blinking one makes snapshots and screen text depend on
    the moment they are taken. The app itself keeps Textual's blinking cursor."""
    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.__dict__["cursor_blink"], "_default", False)
