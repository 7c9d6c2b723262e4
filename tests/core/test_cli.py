"""The headless CLI as a script would use it: real process, real server, real cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LocalServer

from .test_refresh import serve_feed

SUBCOMMANDS = ["add", "refresh", "list", "show", "search", "feeds", "import-opml",
               "export-opml", "remove", "analyse", "timeline", "entities", "map"]


def wr(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WARREADER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "reader", *args], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_help_everywhere(command: str | None, tmp_path: Path) -> None:
    out = wr(*([command] if command else []), "--help", home=tmp_path)
    assert out.returncode == 0 and "usage: warreader" in out.stdout


def test_add_refresh_list_show_search(local_server: LocalServer, tmp_path: Path) -> None:
    serve_feed(local_server, 3)
    home = tmp_path / "h"
    added = wr("add", local_server.url("/feed.xml"), home=home)
    assert added.returncode == 0 and "Subscribed to Test Wire" in added.stdout
    refreshed = wr("refresh", home=home)
    assert refreshed.returncode == 0, refreshed.stderr
    assert "3 new stories" in refreshed.stdout and "3 full pages fetched" in refreshed.stdout
    listed = [json.loads(line) for line in wr("list", "--json", home=home).stdout.splitlines()]
    assert len(listed) == 3
    assert set(listed[0]) >= {"id", "feed", "title", "url", "published", "read", "starred"}
    story = listed[0]
    shown = wr("show", str(story["id"]), home=home)
    assert shown.returncode == 0 and shown.stdout.startswith(f"# {story['title']}")
    assert "Balakliya" in shown.stdout
    found = wr("search", "Balakliya", "--json", home=home).stdout.splitlines()
    assert len(found) == 3
    unread = wr("list", "--unread", "--feed", "Test Wire", home=home).stdout.splitlines()
    assert len(unread) == 3
    feeds = [json.loads(x) for x in wr("feeds", "--json", home=home).stdout.splitlines()]
    assert feeds[0]["total"] == 3 and feeds[0]["error"] is None


def test_errors_and_exit_codes(local_server: LocalServer, tmp_path: Path) -> None:
    home = tmp_path / "h"
    bad_scheme = wr("add", "file:///etc/passwd", home=home)
    assert bad_scheme.returncode == 1 and "http://" in bad_scheme.stderr
    dead = wr("add", local_server.url("/nothing.xml"), home=home)
    assert dead.returncode == 1 and "404" in dead.stderr
    missing = wr("show", "999", home=home)
    assert missing.returncode == 1 and "no story 999" in missing.stderr
    usage = wr("show", "not-a-number", home=home)
    assert usage.returncode == 2
    # A feed that later breaks: refresh reports it and exits 3.
    serve_feed(local_server, 1)
    assert wr("add", local_server.url("/feed.xml"), home=home).returncode == 0
    local_server.routes["/feed.xml"] = b"\x00\x01garbage"
    partial = wr("refresh", "--feeds-only", home=home)
    assert partial.returncode == 3 and "failed" in partial.stdout
    for command in (["refresh", "nope"], ["list", "--feed", "nope"], ["remove", "nope"],
                    ["timeline", "--feed", "nope"]):
        unknown = wr(*command, home=home)
        assert (unknown.returncode, unknown.stderr) == (1, "warreader: no feed matches 'nope'.\n")


def test_opml_round_trip_and_remove(tmp_path: Path) -> None:
    home = tmp_path / "h"
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>'
        '<outline text="War"><outline text="A &amp; B" xmlUrl="http://127.0.0.1:9/a.xml"/>'
        '<outline text="C" xmlUrl="https://127.0.0.1:9/c.xml"/></outline></body></opml>'
    )
    imported = wr("import-opml", str(opml), home=home)
    assert imported.returncode == 0 and "Subscribed to 2 feeds" in imported.stdout
    again = wr("import-opml", str(opml), home=home)
    assert "0 feeds (2 already" in again.stdout
    exported = wr("export-opml", home=home).stdout
    assert "http://127.0.0.1:9/a.xml" in exported and "A &amp; B" in exported
    removed = wr("remove", "A & B", home=home)
    assert removed.returncode == 0, removed.stderr
    assert "a.xml" not in wr("export-opml", home=home).stdout
    assert wr("remove", "nope", home=home).returncode == 1


def test_list_on_an_empty_cache_says_so(tmp_path: Path) -> None:
    out = wr("list", home=tmp_path)
    assert out.returncode == 0 and out.stdout == ""
    assert "the cache is empty" in out.stderr


def test_a_config_error_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[reader]\nlayuot = 'list'\n")
    out = wr("list", home=tmp_path)
    assert out.returncode == 1 and str(config) in out.stderr and "layuot" in out.stderr


def test_sample_commands_read_the_sample_stories(tmp_path: Path) -> None:
    pytest.importorskip("reader.sample")
    listed = wr("--sample", "list", home=tmp_path)
    assert listed.returncode == 0 and "Ukraine retakes Lyman" in listed.stdout
    found = wr("--sample", "search", "Kupyansk rail", home=tmp_path)  # the README's example
    assert "Kupyansk" in found.stdout
    story_id = found.stdout.split()[0]
    shown = wr("--sample", "show", story_id, home=tmp_path)
    assert shown.stdout.startswith("# ") and "Kupyansk" in shown.stdout
    assert wr("list", home=tmp_path).stdout == ""  # the sample stays apart from the cache
