"""The cache when the disk fills up, when its folder is read-only, and when it is damaged.

Real `warreader` processes and a real SQLite file. The full disk is a 1 MB tmpfs mounted in a
private mount namespace (`unshare`), so the test needs no cleanup and leaves no mount behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LocalServer


def wr(*args: str, home: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WARREADER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(home), *args],
                          env=env, capture_output=True, text=True, timeout=120, **kw)  # type: ignore[call-overload]


def _big_feeds(server: LocalServer, feeds: int, items: int) -> None:
    text = "Long summary of the day's events along the front line. " * 60
    for f in range(feeds):
        body = "".join(f"<item><title>Feed {f} item {i}</title><guid>{f}-{i}</guid>"
                       f"<description>{text}</description></item>" for i in range(items))
        server.routes[f"/{f}.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                      f"<title>Feed {f}</title>{body}</channel></rss>")


def _namespace() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux and unshare to mount a small disk")
    flags = ["-m"] if os.geteuid() == 0 else ["-r", "-m"]
    if subprocess.run([unshare, *flags, "true"], capture_output=True).returncode != 0:
        pytest.skip("this system does not allow a private mount namespace")
    return [unshare, *flags]


def test_full_disk_during_refresh_says_so_and_loses_nothing(local_server: LocalServer,
                                                            tmp_path: Path) -> None:
    _big_feeds(local_server, 40, 20)
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>' + "".join(
        f'<outline type="rss" text="F{f}" xmlUrl="{local_server.url(f"/{f}.xml")}"/>'
        for f in range(40)) + "</body></opml>", encoding="utf-8")
    disk = tmp_path / "disk"
    disk.mkdir()
    home = disk / "home"
    reader = f"{sys.executable} -m reader --data-dir {home}"
    count = (f"{sys.executable} -c \"import sqlite3; c = sqlite3.connect('{home}/data/"
             "warreader.sqlite3'); print(c.execute('PRAGMA integrity_check').fetchone()[0],"
             " c.execute('SELECT count(*) FROM stories').fetchone()[0])\"")
    script = f"""
        mount -t tmpfs -o size=1m tmpfs {disk}
        {reader} import-opml {opml} >/dev/null
        {reader} refresh --feeds-only --quiet; echo "rc=$?"
        {count}
        mount -o remount,size=64m {disk}
        {reader} refresh --feeds-only --quiet >/dev/null; echo "rc=$?"
        {count}
    """
    result = subprocess.run([*_namespace(), "sh", "-c", script], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "WARREADER_HOME": str(home)})
    out, err = result.stdout, result.stderr
    assert "Traceback" not in err and "cannot rollback" not in err, err
    assert "The disk is full" in err, (out, err)
    lines = out.split()
    assert lines[0] == "rc=1", out
    assert lines[1] == "ok" and int(lines[2]) < 800  # whole, and some feeds did not fit
    assert lines[3:] == ["rc=0", "ok", "800"], out  # with room again, nothing is missing
