"""Helpers shared by the benchmark scripts: a feedfarm server and timed child processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEEDFARM = ROOT.parent / "shared" / "tools" / "feedfarm.py"


@contextmanager
def feedfarm(*args: str, seconds: int = 900) -> Iterator[str]:
    """Run feedfarm.py with `args`; yields its base URL; stops it afterwards."""
    if not FEEDFARM.exists():
        sys.exit(f"feedfarm not found at {FEEDFARM}")
    proc = subprocess.Popen(
        [sys.executable, str(FEEDFARM), "--port", "0", "--seconds", str(seconds), *args],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("READY "):
        proc.kill()
        sys.exit(f"feedfarm did not start: {line!r}")
    try:
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(10)


@dataclass
class Timed:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Timed:
    """Run a command; wall time and the child's own peak RSS (from wait4, per process)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Timed(elapsed, usage.ru_maxrss / 1024, proc.returncode, out)


def warreader_cmd() -> list[str]:
    """The installed console script of this checkout's environment."""
    exe = Path(sys.executable).with_name("warreader")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "reader"]
