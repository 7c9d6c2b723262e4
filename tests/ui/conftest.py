"""Fixtures of the UI tests: a cache filled with made-up stories, hostile titles included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.store import Store
from tests.ui.support import fill_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = fill_store(tmp_path / "cache.sqlite3", hostile=True)
    yield s
    s.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "cache.sqlite3")
    yield s
    s.close()
