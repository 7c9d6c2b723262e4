"""How the command line speaks: everything it prints goes through `say`; its exit codes."""

from __future__ import annotations

import sys

from reader.text import strip_controls

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def say(text: object = "", *, err: bool = False, end: str = "\n") -> None:
    """Print for the reader. Everything warreader prints comes through here: titles, bodies
    and error messages quote the web, and no escape sequence may reach the terminal."""
    (sys.stderr if err else sys.stdout).write(strip_controls(str(text)) + end)
