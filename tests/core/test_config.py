"""A wrong config file gets one clear line naming the file and the key, never a traceback,
and a value that would make every feed fail (a timeout of 0, -1 or nan) is refused when read.
Real `warreader` processes reading a real file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import Config, parse_config

BAD = [
    ("[network]\nmax_redirects = 2.5\n", "max_redirects"),
    ("[network]\ntimeout = nan\n", "timeout"),
    ("[network]\ntimeout = 0\n", "timeout"),
    ("[network]\ntimeout = -1\n", "timeout"),
    ("[network]\ntimeout = inf\n", "timeout"),
    ("[network]\nconnect_timeout = \"10\"\n", "connect_timeout"),
    ("[network]\nmax_bytes = -5\n", "max_bytes"),
    ("[network]\njobs = true\n", "jobs"),
    ("[network]\njobs = 0\n", "jobs"),
    ("[network]\nretries = -1\n", "retries"),
    ("[limits]\nitems_per_feed = 0\n", "items_per_feed"),
    ("[limits]\npage_seconds = nan\n", "page_seconds"),
    ("[reader]\nfull_text = 1\n", "full_text"),
    ("[reader]\nbrowser = \"sh -c 'firefox {url}'\"\n", "browser"),
    ("[keys]\nrefresh_all = 5\n", "refresh_all"),
    ("[netwrok]\ntimeout = 5\n", "netwrok"),
]


def run(config: Path) -> subprocess.CompletedProcess[str]:
    home = config.parent / "home"
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(home), "--config",
                           str(config), "feeds"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "WARREADER_HOME": str(home)})


@pytest.mark.parametrize(("text", "key"), BAD)
def test_bad_values_name_the_file_and_the_key(text: str, key: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    result = run(config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(config) in result.stderr and key in result.stderr, result.stderr


def test_invalid_utf8_is_named(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"[reader]\nsave_dir = \"/tmp/\xff\xfe\"\n")
    result = run(config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(config) in result.stderr and "UTF-8" in result.stderr


def test_good_values_are_kept() -> None:
    config = parse_config("[network]\ntimeout = 5\nmax_redirects = 0\n[limits]\n"
                          "items_per_feed = 50\npage_seconds = 2.5\n"
                          "[reader]\nbrowser = \"firefox --new-tab {url}\"\n")
    assert config.network.timeout == 5.0 and isinstance(config.network.timeout, float)
    assert config.network.max_redirects == 0 and config.limits.items_per_feed == 50
    assert config.browser == "firefox --new-tab {url}"
    assert parse_config("") == Config()
