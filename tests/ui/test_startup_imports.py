"""What starting the reader imports: what the first screen does not need stays out, since
every module costs start-up time (benchmarks/startup.py measures it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.ui.support import fill_store

# Loaded on first use, each for a reason: the index and map SQL (E, T, M), the commands of
# `warreader COMMAND`, the date words of the timeline pane (a story opened), the TOML parser
# (only with a config file), the refresh's progress bar (only when refreshing).
LATER = ("reader.store.index", "reader.store.places", "reader.cli.commands", "reader.nlp",
         "tomllib", "textual.widgets._progress_bar")


def test_the_first_screen_imports_nothing_it_does_not_show(tmp_path: Path) -> None:
    fill_store(tmp_path / "cache.sqlite3").close()
    code = (
        "import sys\n"
        "from reader.cli import _parser\n"
        "from reader.store import Store\n"
        "from reader.ui.data import preload\n"
        "_parser()\n"
        f"first = preload.read(Store({str(tmp_path / 'cache.sqlite3')!r}))\n"
        "assert first is not None and first.total > 0\n"
        "from reader.ui.app import WarReaderApp\n"
        "from reader.ui.screens.main import MainScreen\n"
        f"print(' '.join(m for m in {LATER!r} if any(n == m or n.startswith(m + '.')"
        " for n in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
