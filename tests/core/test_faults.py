"""Fetch and parse every feed of feedfarm, hostile ones included, as a refresh would.

feedfarm (/work/shared/tools/feedfarm.py) is a loopback news site whose /fault/ feeds
misbehave: malformed XML, 404/500, a body trickling a byte every 2 s, 1 GiB and gzip-bomb
bodies, a redirect loop, windows-1251, an entity bomb, escape sequences, binary garbage.
Each must end as a clear FetchError/FeedError or a correct parse, quickly and in bounded memory.
"""

from __future__ import annotations

import asyncio
import re
import resource
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.config import NetworkConfig
from reader.errors import FetchError, ReaderError
from reader.feeds.parse import parse_feed
from reader.models import ParsedFeed
from reader.net.client import Fetcher

FEEDFARM = Path(__file__).resolve().parents[3] / "shared/tools/feedfarm.py"
# Generous enough that a loaded CI machine does not turn a fault into a time-out; the slow
# fault (a byte every 2 s for 120 s) still times out.
CONFIG = NetworkConfig(timeout=8.0, connect_timeout=4.0, max_bytes=5_000_000, retries=1)


@dataclass
class Run:
    outcomes: dict[str, ParsedFeed | ReaderError]  # by URL path, e.g. "/fault/slow.xml"
    etags: dict[str, str | None]
    base: str
    elapsed: float
    rss_growth_mb: float


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    if not FEEDFARM.exists():
        pytest.skip(f"feedfarm is not at {FEEDFARM}; it lives in the shared tools folder")
    urls_file = tmp_path_factory.mktemp("farm") / "urls.txt"
    proc = subprocess.Popen(
        [sys.executable, str(FEEDFARM), "--feeds", "3", "--items", "5", "--faults",
         "--urls-file", str(urls_file), "--port", "0", "--seconds", "120"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=15):
            pytest.fail("feedfarm did not print READY within 15 s")
        line = proc.stdout.readline().strip()
        assert line.startswith("READY http://127.0.0.1:"), line
        base = line.split()[1]
        yield base, urls_file.read_text(encoding="utf-8").split()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _fetch_and_parse(fetcher: Fetcher, url: str) -> tuple[ParsedFeed | ReaderError,
                                                                 str | None]:
    try:
        result = await fetcher.fetch(url)
        feed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        return feed, result.etag
    except ReaderError as exc:
        return exc, None


@pytest.fixture(scope="module")
def run(farm: tuple[str, list[str]]) -> Run:
    base, urls = farm

    async def main() -> list[tuple[ParsedFeed | ReaderError, str | None]]:
        async with Fetcher(CONFIG, backoff=0.05) as fetcher:
            return await asyncio.gather(*(_fetch_and_parse(fetcher, u) for u in urls))

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    answers = asyncio.run(main())
    elapsed = time.monotonic() - started
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # kB on Linux
    paths = [u[len(base):] for u in urls]
    return Run(outcomes={p: a[0] for p, a in zip(paths, answers, strict=True)},
               etags={p: a[1] for p, a in zip(paths, answers, strict=True)},
               base=base, elapsed=elapsed, rss_growth_mb=growth)


def test_every_url_was_tried(run: Run) -> None:
    assert len(run.outcomes) == 3 + 13
    assert all(isinstance(o, (ParsedFeed, ReaderError)) for o in run.outcomes.values())


def test_fast_and_bounded(run: Run) -> None:
    print(f"farm: {run.elapsed:.2f} s, peak RSS growth {run.rss_growth_mb:.1f} MB")
    assert run.elapsed < 15, f"fetching the farm took {run.elapsed:.1f} s"
    assert run.rss_growth_mb < 200, f"peak memory grew by {run.rss_growth_mb:.0f} MB"


@pytest.mark.parametrize("n", [0, 1, 2])
def test_good_feeds_parse_fully(run: Run, n: int) -> None:
    feed = run.outcomes[f"/feed/{n}.xml"]
    assert isinstance(feed, ParsedFeed), feed
    kind = "Wire" if n % 2 == 0 else "Dispatch"
    assert feed.title == f"Loopback {kind} {n}"
    assert len(feed.entries) == 5
    assert len({e.guid for e in feed.entries}) == 5
    for entry in feed.entries:
        assert entry.url and entry.url.startswith(f"{run.base}/article/{n}/")
        assert entry.published is not None and entry.published.utcoffset() is not None
        assert entry.summary_html
    assert run.etags[f"/feed/{n}.xml"]


async def test_conditional_get_against_the_farm(run: Run) -> None:
    async with Fetcher(CONFIG) as fetcher:
        again = await fetcher.fetch(f"{run.base}/feed/0.xml", etag=run.etags["/feed/0.xml"])
    assert (again.status, again.body) == (304, b"")


FAILURES = {
    "server-error": "The server answered 500 Internal Server Error.",
    "not-found": "The server answered 404 Not Found.",
    "slow": "Timed out after 8 s waiting for 127.0.0.1.",
    "huge": "The response is larger than 5 MB; stopped reading.",
    "gzip-bomb": "The response is larger than 5 MB; stopped reading.",
    "redirect-loop": "Too many redirects (more than 5).",
    "binary": "This address does not serve a feed (it is not RSS, Atom or JSON Feed).",
    "empty": "The server sent an empty document instead of a feed.",
}


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_fault_gives_clear_error(run: Run, kind: str) -> None:
    outcome = run.outcomes[f"/fault/{kind}.xml"]
    assert isinstance(outcome, ReaderError), outcome
    assert str(outcome) == FAILURES[kind]


def test_malformed_is_recovered(run: Run) -> None:
    feed = run.outcomes["/fault/malformed.xml"]
    assert isinstance(feed, ParsedFeed), feed
    assert feed.title == "Broken"
    assert [e.title for e in feed.entries] == ["unclosed"]


def test_cp1251(run: Run) -> None:
    feed = run.outcomes["/fault/cp1251.xml"]
    assert isinstance(feed, ParsedFeed), feed
    assert feed.title == "Новини Харкова"
    assert [e.title for e in feed.entries] == ["Звільнення Куп'янська"]


def test_entity_bomb_is_inert(run: Run) -> None:
    feed = run.outcomes["/fault/entity-bomb.xml"]
    assert isinstance(feed, (ParsedFeed, ReaderError))
    if isinstance(feed, ParsedFeed):
        assert "lollol" not in feed.title and len(feed.title) < 100


def test_escapes_are_removed_and_markup_stays_text(run: Run) -> None:
    feed = run.outcomes["/fault/escapes.xml"]
    assert isinstance(feed, ParsedFeed), feed
    expected = ("[bold red]markup[/] [link=file:///etc/passwd]click[/link]"
                " ../../../../tmp/warreader-escape")
    assert feed.title == expected
    titles = {e.title: e.url for e in feed.entries}
    assert titles[expected] == f"{run.base}/article/1/1.html"
    assert titles["javascript link"] is None
    assert titles["file link"] is None


async def test_dead_article_links_fail_clearly(run: Run) -> None:
    feed = run.outcomes["/fault/dead-links.xml"]
    assert isinstance(feed, ParsedFeed), feed
    links = [e.url or "" for e in feed.entries]
    assert links == [f"{run.base}/missing/1.html", "http://127.0.0.1:9/x.html"]
    messages = []
    async with Fetcher(CONFIG, backoff=0.01) as fetcher:
        for link in links:
            with pytest.raises(FetchError) as info:
                await fetcher.fetch(link)
            messages.append(str(info.value))
    assert messages == ["The server answered 404 Not Found.",
                        "Could not connect to 127.0.0.1: connection refused."]


def test_hostile_titles_from_the_farm_save_inside_the_folder(run: Run, tmp_path: Path) -> None:
    """The escapes feed's titles (markup, ../ paths, escape sequences) stored and saved:
    every file lands inside the chosen folder, its name plain."""
    from reader.export.files import save_story
    from reader.store import Store

    feed = run.outcomes["/fault/escapes.xml"]
    assert isinstance(feed, ParsedFeed), feed
    folder = tmp_path / "saved"
    with Store(tmp_path / "cache.sqlite3") as store:
        stored = store.add_feed(run.base + "/fault/escapes.xml", feed.title, full_text=False)
        store.store_entries(stored.id, feed.entries, [e.summary_html or "" for e in feed.entries],
                            feed_title=feed.title)
        saved = [save_story(store, s.id, fmt=fmt, folder=folder)
                 for s in store.stories(limit=50) for fmt in ("md", "json", "html")]
    assert len(saved) == 3 * len(feed.entries) > 0
    for path in saved:
        assert path.resolve().parent == folder.resolve()
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", path.name), path.name
    assert not (tmp_path / "warreader-escape").exists()
    assert not Path("/tmp/warreader-escape").exists()
