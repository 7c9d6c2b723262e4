"""The refresh pipeline against a real HTTP server on 127.0.0.1 and a real SQLite file."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from reader.config import Config, NetworkConfig
from reader.errors import FetchError
from reader.pipeline.refresh import run_refresh
from reader.store import Store
from tests.conftest import LocalServer

FAST = Config(network=NetworkConfig(timeout=5, connect_timeout=2, retries=0, jobs=8, per_host=8))

ARTICLE = """<html><head><title>{title}</title>
<meta property="og:title" content="{title}"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<article><h1>{title}</h1><p class="byline">By Staff Reporter</p>
<p>Ukrainian forces entered the town of Balakliya on September 8, 2022, after a rapid advance
that surprised Russian units holding the line south-east of Kharkiv.</p>
<p>Commanders said the operation had been prepared for weeks and that the Oskil river was the
next objective. Residents described empty Russian positions and abandoned equipment.</p>
<p>Regional governor Oleh Syniehubov said that the authorities were restoring power and water
to the villages retaken around the town, and that de-mining would take months.</p>
<p>Story number {n} in this feed continues with more detail about the counteroffensive and its
consequences for supply lines around Kupyansk and Izyum.</p>
</article>
<aside class="related"><h3>Related stories</h3><a href="/x">Other news</a></aside>
<footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def rss(base: str, n: int, prefix: str = "a") -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}/{prefix}/{i}.html</link>"
        f"<guid>{prefix}-{i}</guid><pubDate>Sat, 10 Sep 2022 0{i % 10}:00:00 GMT</pubDate>"
        f"<description>Summary of story {i}.</description></item>"
        for i in range(n)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
            f"<link>{base}/</link>{items}</channel></rss>")


def serve_feed(server: LocalServer, n: int = 4, prefix: str = "a", path: str = "/feed.xml",
               page_delay: float = 0.0) -> None:
    server.routes[path] = rss(server.base, n, prefix)
    for i in range(n):
        page = ARTICLE.format(title=f"Story {i}", n=i)

        def handler(_h: object, page: str = page) -> tuple[int, dict[str, str], bytes]:
            if page_delay:
                time.sleep(page_delay)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

        server.routes[f"/{prefix}/{i}.html"] = handler  # type: ignore[assignment]


def test_full_refresh_fetches_pages_and_analyses(local_server: LocalServer, store: Store) -> None:
    serve_feed(local_server, 4)
    feed = store.add_feed(local_server.url("/feed.xml"))
    seen = []
    summary = run_refresh(store, FAST, progress=seen.append)
    assert summary.new == 4 and summary.pages_fetched == 4 and not summary.failed
    assert seen and seen[-1].done == seen[-1].total == 5
    body = store.body(store.stories(feed_id=feed.id)[0].id)
    assert body is not None and body.full_text
    assert "Balakliya" in body.markdown
    assert "cookies" not in body.markdown and "Related stories" not in body.markdown
    assert store.pending_analysis() == []
    assert store.feed(feed.id).title == "Test Wire"  # type: ignore[union-attr]


def test_second_refresh_is_conditional(local_server: LocalServer, store: Store) -> None:
    local_server.routes["/cond.xml"] = lambda h: (
        (304, {}, b"") if h.headers.get("If-None-Match") == '"v1"'
        else (200, {"ETag": '"v1"', "Content-Type": "application/rss+xml"},
              rss(local_server.base, 2).encode()))
    store.add_feed(local_server.url("/cond.xml"))
    first = run_refresh(store, FAST, full_pages=False)
    assert first.results[0].status == "new"
    second = run_refresh(store, FAST, full_pages=False)
    assert second.results[0].status == "unchanged" and second.new == 0


def test_failures_are_per_feed_and_keep_cache(local_server: LocalServer, store: Store) -> None:
    serve_feed(local_server, 2)
    good = store.add_feed(local_server.url("/feed.xml"))
    bad = store.add_feed(local_server.url("/missing.xml"))
    broken = store.add_feed(local_server.url("/broken.xml"))
    local_server.routes["/broken.xml"] = b"<html><body>Not a feed</body></html>"
    summary = run_refresh(store, FAST)
    failed = {r.feed_id: r.error for r in summary.failed}
    assert set(failed) == {bad.id, broken.id}
    assert "404" in (failed[bad.id] or "")
    assert store.feed(bad.id).last_error  # type: ignore[union-attr]
    assert store.count_stories(feed_id=good.id) == 2
    # The source goes away: cached stories stay readable and the error is recorded.
    local_server.routes.clear()
    again = run_refresh(store, FAST)
    assert {r.feed_id for r in again.failed} == {good.id, bad.id, broken.id}
    assert store.count_stories(feed_id=good.id) == 2
    assert store.body(store.stories(feed_id=good.id)[0].id).full_text  # type: ignore[union-attr]


def test_dead_article_link_keeps_summary(local_server: LocalServer, store: Store) -> None:
    local_server.routes["/feed.xml"] = rss(local_server.base, 1, "dead")
    store.add_feed(local_server.url("/feed.xml"))
    summary = run_refresh(store, FAST)
    assert summary.pages_failed == 1 and not summary.failed
    body = store.body(store.stories()[0].id)
    assert body is not None and not body.full_text and "Summary of story 0" in body.markdown
    assert body.extract_error and "404" in body.extract_error


def test_feeds_only_skips_pages(local_server: LocalServer, store: Store) -> None:
    serve_feed(local_server, 3)
    store.add_feed(local_server.url("/feed.xml"))
    summary = run_refresh(store, FAST, full_pages=False, analyse=False)
    assert summary.new == 3 and summary.pages_fetched == 0
    assert all(h == 0 for p, h in local_server.hits.items() if p.endswith(".html")) or not any(
        p.endswith(".html") for p in local_server.hits)


def test_cancel_stops_soon(local_server: LocalServer, store: Store) -> None:
    serve_feed(local_server, 6, page_delay=1.0)
    store.add_feed(local_server.url("/feed.xml"))
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    summary = run_refresh(store, FAST, cancel=cancel)
    assert summary.cancelled and time.monotonic() - started < 5
    assert store.count_stories() == 6  # the feed's stories were stored before the cancel
    assert len(store.pending_pages()) > 0  # left for the next run


def test_sigkill_mid_refresh_leaves_consistent_cache(local_server: LocalServer,
                                                     tmp_path: Path) -> None:
    for k in range(3):
        serve_feed(local_server, 5, prefix=f"f{k}", path=f"/f{k}.xml", page_delay=0.3)
    home = tmp_path / "killhome"
    env = {**os.environ, "WARREADER_HOME": str(home)}
    cmd = [sys.executable, "-m", "reader", "--data-dir", str(home)]
    for k in range(3):
        subprocess.run([*cmd, "add", local_server.url(f"/f{k}.xml")], env=env, check=True,
                       capture_output=True)
    proc = subprocess.Popen([*cmd, "refresh", "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    db = home / "data" / "warreader.sqlite3"
    while time.monotonic() < deadline:  # wait until some pages are stored, then kill
        conn = sqlite3.connect(db)
        done = conn.execute("SELECT count(*) FROM stories WHERE page_state = 2").fetchone()[0]
        conn.close()
        if done >= 2:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    again = subprocess.run([*cmd, "refresh", "--quiet"], env=env, capture_output=True, text=True,
                           timeout=60)
    assert again.returncode == 0, again.stderr
    with Store(db) as s:
        assert s.count_stories() == 15
        assert s.pending_pages() == []
        assert all(s.body(st.id).full_text for st in s.stories())  # type: ignore[union-attr]
        assert s.pending_analysis() == []


def test_one_refresh_takes_only_the_newest_items_of_a_feed(local_server: LocalServer,
                                                            store: Store) -> None:
    from reader.config import Limits

    base = local_server.base
    start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    items = "".join(  # oldest first in the file: the cap must pick by date, not position
        f"<item><title>Item {i}</title><link>{base}/p/{i}.html</link><guid>g{i}</guid>"
        f"<pubDate>{start + dt.timedelta(hours=i):%a, %d %b %Y %H:%M:%S +0000}"
        f"</pubDate></item>" for i in range(5000))
    local_server.routes["/big.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                       f"<title>Big</title>{items}</channel></rss>")
    order: list[int] = []
    for i in range(4990, 5000):
        def page(_h: object, i: int = i) -> tuple[int, dict[str, str], bytes]:
            order.append(i)
            return 200, {"Content-Type": "text/html"}, ARTICLE.format(title=f"P{i}", n=i).encode()

        local_server.routes[f"/p/{i}.html"] = page  # type: ignore[assignment]
    store.add_feed(local_server.url("/big.xml"))
    one_at_a_time = NetworkConfig(timeout=5, connect_timeout=2, retries=0, jobs=1, per_host=1)
    config = Config(network=one_at_a_time, limits=Limits(items_per_feed=10))
    started = time.monotonic()
    summary = run_refresh(store, config, analyse=False)
    assert time.monotonic() - started < 20
    assert summary.new == 10 and store.count_stories() == 10
    assert sorted(s.title for s in store.stories()) == [f"Item {i}" for i in range(4990, 5000)]
    assert order == list(range(4999, 4989, -1))  # pages fetched newest first


def test_waiting_for_a_busy_host_does_not_count_against_the_timeout(
        local_server: LocalServer) -> None:
    import asyncio

    from reader.net.client import Fetcher

    def stall(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.flush()
        time.sleep(2.5)  # headers, then nothing: the client gives up first

    for i in range(3):
        local_server.routes[f"/stall/{i}"] = stall  # type: ignore[assignment]
    def fast(_h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(0.3)  # an ordinary server: answers in well under the timeout
        return 200, {"Content-Type": "text/html"}, b"<p>fast</p>"

    local_server.routes["/fast"] = fast  # type: ignore[assignment]
    config = NetworkConfig(timeout=1, connect_timeout=1, retries=0, jobs=8, per_host=1)

    async def main() -> list[object]:
        async with Fetcher(config) as fetcher:
            stalled = [asyncio.create_task(fetcher.fetch(local_server.url(f"/stall/{i}")))
                       for i in range(3)]
            await asyncio.sleep(0.05)  # the stalled requests hold the host's one slot first
            fast = asyncio.create_task(fetcher.fetch(local_server.url("/fast")))
            return await asyncio.gather(*stalled, fast, return_exceptions=True)

    *stalled, fast = asyncio.run(main())
    assert all(isinstance(s, FetchError) and "Timed out" in str(s) for s in stalled), stalled
    assert not isinstance(fast, BaseException), fast  # waited 3 s for the slot, then 1 s budget
    assert fast.body == b"<p>fast</p>"  # type: ignore[attr-defined]


def test_pages_that_failed_for_a_passing_reason_are_retried_later(
        local_server: LocalServer, store: Store) -> None:
    answers = {"/flaky.html": [503, 200], "/gone.html": [404, 404, 404]}

    def page(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        codes = answers[handler.path]
        code = codes.pop(0) if len(codes) > 1 else codes[0]
        body = ARTICLE.format(title="Flaky", n=1) if code == 200 else "no"
        return code, {"Content-Type": "text/html"}, body.encode()

    items = "".join(f"<item><title>{p}</title><link>{local_server.base}{p}</link><guid>{p}</guid>"
                    "<description>Feed text.</description></item>" for p in answers)
    local_server.routes["/feed.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                        f"<title>Wire</title>{items}</channel></rss>")
    for path in answers:
        local_server.routes[path] = page  # type: ignore[assignment]
    store.add_feed(local_server.url("/feed.xml"))
    run_refresh(store, FAST, analyse=False)
    bodies = {s.title: store.body(s.id) for s in store.stories()}
    flaky = bodies["/flaky.html"]
    assert flaky is not None and not flaky.full_text
    assert "503" in (flaky.extract_error or "") and "tried again later" in (
        flaky.extract_error or "")
    run_refresh(store, FAST, analyse=False)  # too soon: the page waits its turn
    assert local_server.hits["/flaky.html"] == 1
    conn = sqlite3.connect(store.db.path)  # time passes: the wait is over
    conn.execute("UPDATE stories SET page_retry_at = 1 WHERE page_retry_at IS NOT NULL")
    conn.commit()
    conn.close()
    summary = run_refresh(store, FAST, analyse=False)
    assert summary.pages_fetched == 1
    assert local_server.hits["/flaky.html"] == 2 and local_server.hits["/gone.html"] == 1
    flaky = store.body(flaky.story.id)
    assert flaky is not None and flaky.full_text and flaky.extract_error is None
