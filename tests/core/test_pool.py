"""The worker pool under attack: a page that would take minutes of processor time or gigabytes
of memory, cancel in the middle of it, and the parent process killed by any signal.

Real worker processes, a real HTTP server on 127.0.0.1, a real `warreader refresh` process.
"""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.pipeline.pool import LimitError, Pool, extract_and_analyse
from reader.store import Store
from tests.conftest import LocalServer
from tests.hostile import GOOD_PAGE, LINUX, alive, heavy_page, hog_memory, pool_workers


def test_overrun_worker_is_killed_and_replaced() -> None:
    async def main() -> tuple[float, str, object]:
        async with Pool(1, cpu_seconds=1) as pool:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            with pytest.raises(LimitError) as info:
                await pool.run(extract_and_analyse, heavy_page(), "http://x/t", None, False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the killed worker, reaped
            spent = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            article, error, _ = await pool.run(extract_and_analyse, GOOD_PAGE, "http://x/g",
                                               None, False)
            assert error is None and article is not None
            return spent, str(info.value), article

    spent, why, _ = asyncio.run(main())
    assert "processor time" in why or "took longer" in why  # the latter on a loaded machine
    # 1 s for the page, plus starting Python and importing the extractor
    assert spent < 4, f"the worker used {spent:.1f} s of processor time for a 1 s limit"


def test_memory_hog_is_stopped() -> None:
    async def main() -> str:
        async with Pool(1, cpu_seconds=30, memory_mb=300) as pool:
            with pytest.raises(LimitError) as info:
                await pool.run(hog_memory)
            assert await pool.run(len, "four") == 4  # a fresh worker took its place
            return str(info.value)

    assert "300 MB of memory" in asyncio.run(main())


def test_cancel_kills_the_busy_worker_at_once() -> None:
    async def main() -> tuple[float, set[int]]:
        pool = Pool(1, cpu_seconds=60)
        task = asyncio.create_task(
            pool.run(extract_and_analyse, heavy_page(), "http://x/t", None, False))
        await asyncio.sleep(1.0)
        workers = pool_workers(os.getpid())
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        pool.close()
        return time.monotonic() - started, workers

    spent, workers = asyncio.run(main())
    assert spent < 0.5
    if LINUX:
        assert workers, "no worker process was running"
        assert not [p for p in workers if alive(p)]


def _serve_heavy(server: LocalServer) -> None:
    items = "".join(
        f"<item><title>Story {name}</title><link>{server.base}/{name}.html</link>"
        f"<guid>{name}</guid><pubDate>Sat, 10 Sep 2022 0{i}:00:00 GMT</pubDate>"
        f"<description>Feed text of {name}.</description></item>"
        for i, name in enumerate(("good", "heavy")))
    server.routes["/feed.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                  f"<title>Wire</title>{items}</channel></rss>")
    server.routes["/heavy.html"] = heavy_page()
    server.routes["/good.html"] = GOOD_PAGE


def test_refresh_keeps_feed_text_of_a_page_over_its_limit(local_server: LocalServer,
                                                           tmp_path: Path) -> None:
    from reader.config import Config, Limits, NetworkConfig
    from reader.pipeline.refresh import run_refresh

    _serve_heavy(local_server)
    config = Config(network=NetworkConfig(retries=0), limits=Limits(page_seconds=1))
    with Store(tmp_path / "c.sqlite3") as store:
        store.add_feed(local_server.url("/feed.xml"))
        summary = run_refresh(store, config)
        assert summary.pages_fetched == 1 and summary.pages_failed == 1
        bodies = {s.title: store.body(s.id) for s in store.stories()}
        heavy, good = bodies["Story heavy"], bodies["Story good"]
        assert heavy is not None and good is not None
        assert heavy.markdown == "Feed text of heavy." and not heavy.full_text
        assert heavy.extract_error and "Full text not read" in heavy.extract_error
        assert good.full_text and "bridge" in good.markdown


@pytest.mark.skipif(not LINUX, reason="reads the process tree from /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_no_worker_outlives_a_refresh_however_it_ends(local_server: LocalServer,
                                                        tmp_path: Path, sig: int) -> None:
    _serve_heavy(local_server)
    local_server.routes["/heavy.html"] = heavy_page(200_000)  # minutes of work
    home = tmp_path / "home"
    home.mkdir()
    config = home / "config.toml"
    config.write_text("[limits]\npage_seconds = 600\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "reader", "--data-dir", str(home), "--config", str(config)]
    env = {**os.environ, "WARREADER_HOME": str(home)}
    subprocess.run([*cmd, "add", local_server.url("/feed.xml")], env=env, check=True,
                   capture_output=True)
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err_file:  # a file, not a pipe an orphan could hold open
        proc = subprocess.Popen([*cmd, "refresh", "--quiet"], env=env,
                                stdout=subprocess.DEVNULL, stderr=err_file)
    try:
        deadline = time.monotonic() + 20
        workers: set[int] = set()
        while time.monotonic() < deadline and local_server.hits.get("/heavy.html", 0) == 0:
            time.sleep(0.05)
        while time.monotonic() < deadline and not workers:
            workers = pool_workers(proc.pid)
            time.sleep(0.05)
        time.sleep(0.5)  # the heavy page is now being extracted
        assert workers, "the refresh started no worker process"
        started = time.monotonic()
        os.kill(proc.pid, sig)
        proc.wait(timeout=10)
        exited = time.monotonic() - started
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(alive(p) for p in workers):
            time.sleep(0.05)
        left = [p for p in workers if alive(p)]
        assert not left, f"workers {left} outlived the refresh killed by {sig}"
        if sig != signal.SIGKILL:
            assert exited < 3, f"the refresh took {exited:.1f} s to stop"
            assert proc.returncode == 128 + sig if sig != signal.SIGINT else 130
            err = errors.read_text()
            assert "what was fetched is kept" in err
            assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
