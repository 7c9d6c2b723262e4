"""The cache when the disk fills up, when its folder is read-only, and when it is damaged.

Real `warreader` processes and a real SQLite file. The full disk is a 1 MB tmpfs mounted in a
private mount namespace (`unshare`), so the test needs no cleanup and leaves no mount behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
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


def _small_feed(server: LocalServer) -> None:
    items = "".join(f"<item><title>Kyiv story {i}</title><guid>{i}</guid>"
                    f"<link>{server.base}/{i}.html</link>"
                    f"<description>Text of Kyiv story {i}.</description></item>"
                    for i in range(5))
    server.routes["/feed.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                  f"<title>Wire</title>{items}</channel></rss>")


def test_read_only_folder_reads_and_says_why_it_cannot_write(local_server: LocalServer,
                                                              tmp_path: Path) -> None:
    _small_feed(local_server)
    disk = tmp_path / "disk"
    disk.mkdir()
    home = disk / "home"
    out = tmp_path / "saved"
    reader = f"{sys.executable} -m reader --data-dir {home}"
    steps = [("list", "list"), ("search", "search Kyiv"), ("show", "show 1"),
             ("refresh", "refresh --feeds-only --quiet"), ("save", f"save 1 --to {out}")]
    script = f"""
        mount -t tmpfs -o size=16m tmpfs {disk}
        {reader} add {local_server.url('/feed.xml')} >/dev/null
        {reader} refresh --feeds-only --quiet >/dev/null
        mount -o remount,ro {disk}
    """ + "".join(f"""
        echo "@@{name}"; {reader} {args} 2>&1; echo "@@rc=$?"
    """ for name, args in steps)
    result = subprocess.run([*_namespace(), "sh", "-c", script], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "WARREADER_HOME": str(home)})
    outputs: dict[str, tuple[int, str]] = {}
    blocks = result.stdout.split("@@")[1:]
    for head, tail in zip(blocks[::2], blocks[1::2], strict=True):
        name, _, text = head.partition("\n")
        outputs[name] = (int(tail[3:].strip()), text)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout
    for name in ("list", "search", "show"):
        code, text = outputs[name]
        assert code == 0 and "Kyiv story" in text, (name, text)
    code, text = outputs["refresh"]
    assert code == 1 and "read-only" in text and "unable to open" not in text, text
    code, text = outputs["save"]
    saved = list(out.glob("*.md"))
    assert code == 0 and len(saved) == 1, text  # the file is written, and the reader told so
    assert str(saved[0]) in text and "will not remember" in text, text


def test_read_only_empty_folder_is_named(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f"""
        mount -t tmpfs -o size=1m,ro tmpfs {disk}
        {sys.executable} -m reader --data-dir {disk} list
    """
    result = subprocess.run([*_namespace(), "sh", "-c", script], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "WARREADER_HOME": str(disk)})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "read-only" in result.stderr and "--data-dir" in result.stderr, result.stderr


def _cache_with_annotations(home: Path) -> Path:
    from reader.models import ParsedEntry
    from reader.store import Store

    db = home / "data" / "warreader.sqlite3"
    with Store(db) as store:
        feed = store.add_feed("http://127.0.0.1:9/feed.xml", "Wire")
        entries = [ParsedEntry(guid=str(i), title=f"Kyiv story {i}", url=None, published=None)
                   for i in range(300)]
        bodies = [f"Long text about Kyiv number {i}. " * 40 for i in range(300)]
        store.store_entries(feed.id, entries, bodies)
        store.set_starred(1)
        store.add_note(1, "my own note")
        store.set_tags(2, ["kharkiv"])
    return db


def _damage_table(db: Path, table: str) -> None:
    """Overwrite the root page of `table` with garbage, as a bad sector would."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                        (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * size)
        f.write(os.urandom(size))


def test_damaged_cache_says_what_to_do_and_repair_keeps_annotations(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = _cache_with_annotations(home)
    _damage_table(db, "stories_fts_data")
    searched = wr("search", "Kyiv", home=home)
    assert searched.returncode == 1 and "Traceback" not in searched.stderr
    assert "warreader repair" in searched.stderr and "--data-dir" in searched.stderr
    repaired = wr("repair", home=home)
    assert repaired.returncode == 0, repaired.stderr
    assert "300 stories" in repaired.stdout and "1 notes" in repaired.stdout
    assert list(db.parent.glob("warreader.sqlite3.damaged-*"))  # kept, not deleted
    searched = wr("search", "Kyiv", "--limit", "500", home=home)
    assert searched.returncode == 0 and searched.stdout.count("Kyiv story") == 300
    starred = wr("list", "--starred", home=home)
    assert "Kyiv story 0" in starred.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT text FROM notes").fetchall() == [("my own note",)]
    assert conn.execute("SELECT tag FROM tags").fetchall() == [("kharkiv",)]
    conn.close()


def test_garbage_header_is_named_damaged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = _cache_with_annotations(home)
    with db.open("r+b") as f:
        f.write(b"\0garbage" * 20)
    listed = wr("list", home=home)
    assert listed.returncode == 1 and "warreader repair" in listed.stderr
    assert wr("repair", home=home).returncode == 0
    assert wr("list", home=home).returncode == 0
