"""The core never imports the UI toolkit: checked in a fresh interpreter per run."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import reader

CORE = sorted(
    m.name for m in pkgutil.walk_packages(reader.__path__, "reader.")
    if not m.name.startswith("reader.ui") and m.name != "reader.__main__"
)


def test_core_modules_do_not_import_textual_or_rich() -> None:
    assert "reader.store" in CORE and "reader.pipeline.refresh" in CORE
    # httpx loads its own command line (click, rich, pygments) whenever click is importable,
    # and click is in the development environment only, for import-linter's command line.
    code = (
        "import importlib, sys\n"
        "sys.modules['click'] = None\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"


def test_importing_the_cli_is_light() -> None:
    """`warreader --help` must not pay for httpx, trafilatura or the NLP data."""
    code = ("import sys, reader.cli\n"
            "heavy = [m for m in ('httpx', 'trafilatura', 'lxml', 'reader.nlp', 'textual')"
            " if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_only_the_store_speaks_sql() -> None:
    """Every query goes through a Store method, so every SQLite error is translated: no
    module outside reader.store imports sqlite3 or reaches for the store's database."""
    root = Path(reader.__path__[0])
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).parts[0] == "store":
            continue
        text = path.read_text("utf-8")
        if re.search(r"^\s*(import sqlite3|from sqlite3 )|\.db\.(query|rows|conn|transaction)\(",
                     text, re.M):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
