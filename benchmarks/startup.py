"""Start-up time, story-open time and memory of the reader with 10,000 cached stories.

    uv run python benchmarks/startup.py [--runs 5] [--skip-newsboat] [--baseline DIR]
                                        [--bytecode-cache]

--baseline DIR also times another checkout of warreader (e.g. a `git worktree` of an older
commit, after `uv sync` there) in the same run, with a store its own code filled, the runs
of the two interleaved so that a busy machine weighs on both alike.

Python compiles every module it imports unless a bytecode cache (__pycache__) holds it. Where
PYTHONDONTWRITEBYTECODE is set, no cache is written and every launch compiles Textual, Rich
and warreader again: about half of the start-up time on this machine. --bytecode-cache times
the Python programs (warreader, the baseline, the bare app) with a cache as an installed copy
has one: PYTHONDONTWRITEBYTECODE unset and PYTHONPYCACHEPREFIX in the run's temporary folder,
so the warm-up launch fills it and no checkout is written to.

Measured in the same run, each in tmux with /work/shared/tools/tui_probe.py (time from
launch until the list is on screen):
  * warreader with a store of 200 feeds x 50 stories, until "All stories 10,000" shows;
  * a bare Textual app showing a list, until its first row shows;
  * newsboat with the same 10,000 items (its cache built by `-x reload` from a feedfarm),
    until its feed list shows.
Then: the RSS of warreader with that store once the list shows, and the time from Enter to
a 5,000-word story rendered (in-process, headless, median of several opens).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _farm import feedfarm, warreader_cmd

PROBE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "tui_probe.py"
SIZE = "160x48"

BARE_APP = """
from textual.app import App
from textual.widgets import OptionList
class Bare(App):
    def compose(self):
        yield OptionList(*[f"Bare item {n}" for n in range(200)])
Bare().run()
"""


def fill(home: Path, feeds: int = 200, per_feed: int = 50) -> None:
    """A warreader store under `home` with feeds x per_feed stories (plain text bodies)."""
    from reader.models import ParsedEntry
    from reader.paths import default_paths
    from reader.store import Store

    paths = default_paths(home).ensure()
    now = dt.datetime.now(dt.UTC)
    body = ("Officials said the situation in the region remained tense. " * 30 + "\n\n") * 3
    with Store(paths.db_file) as store:
        for f in range(feeds):
            feed = store.add_feed(f"http://127.0.0.1:9/feed/{f}.xml", f"Feed {f}",
                                  full_text=False)
            entries = [ParsedEntry(f"{f}-{i}", f"Story {i} of feed {f}", None,
                                   now - dt.timedelta(minutes=f * per_feed + i))
                       for i in range(per_feed)]
            store.store_entries(feed.id, entries, [body] * per_feed, feed_title=f"Feed {f}")


# Extra environment of the Python programs timed (set by --bytecode-cache).
PYTHON_ENV: list[str] = []


def probe(cmd: str, wait_for: str, env: list[str] = (),  # type: ignore[assignment]
          python: bool = True) -> float:
    args = [sys.executable, str(PROBE), "--cmd", cmd, "--wait-for", wait_for, "--size", SIZE,
            "--timeout", "30"]
    for item in [*PYTHON_ENV, *env] if python else env:
        args += ["--env", item]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    found = re.search(r"ready_s=([\d.]+)", out)
    if not found:
        raise SystemExit(f"probe failed for {cmd!r}:\n{out}")
    return float(found.group(1))


def median_of(runs: int, fn: Callable[[], float]) -> float:
    fn()  # warm the page cache and Python's bytecode cache
    return statistics.median(fn() for _ in range(runs))


def interleaved(runs: int, fns: list[Callable[[], float]]) -> list[float]:
    """The median of `runs` timings of each of `fns`, taken in turns."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            times[i].append(fn())
    return [statistics.median(t) for t in times]


def fill_baseline(checkout: Path, home: Path) -> str:
    """Fill `home` with the baseline checkout's own code; its command line."""
    python = checkout / ".venv" / "bin" / "python"
    code = ("import sys; from pathlib import Path; "
            f"sys.path.insert(0, {str(checkout / 'benchmarks')!r}); "
            f"from startup import fill; fill(Path({str(home)!r}))")
    subprocess.run([str(python), "-c", code], check=True, cwd=checkout)
    return str(checkout / ".venv" / "bin" / "warreader")


def rss_mb(home: Path) -> float:
    """Resident memory of warreader (and its children) once the list shows."""
    session = f"rss{os.getpid()}"
    cmd = " ".join(warreader_cmd())
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "48",
                    f"env WARREADER_HOME={home} TERM=xterm-256color {cmd}"], check=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                    capture_output=True, text=True).stdout
            if "All stories 10,000" in screen:
                break
            time.sleep(0.05)
        time.sleep(1.0)
        pid = subprocess.run(["tmux", "list-panes", "-t", session, "-F", "#{pane_pid}"],
                             capture_output=True, text=True).stdout.split()[0]
        total = 0
        for p in [pid, *_children(pid)]:
            try:
                status = Path(f"/proc/{p}/status").read_text()
            except OSError:
                continue
            found = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(found.group(1)) if found else 0
        return total / 1024
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _children(pid: str) -> list[str]:
    out = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    return out + [c for child in out for c in _children(child)]


def story_open_ms(tmp: Path, opens: int = 7) -> tuple[list[float], list[float]]:
    """Milliseconds from opening a 5,000-word story (the Enter key's action) to its first
    screenful rendered, and to the whole story laid out (headless)."""
    from reader.models import ParsedEntry
    from reader.store import Store
    from reader.ui.app import WarReaderApp
    from reader.ui.screens.main import MainScreen

    words = "The brigade reported shelling near the river crossing overnight, officials said."
    paragraph = " ".join([words] * 9)  # about 100 words
    body = "\n\n".join(f"## Part {i}\n\n{paragraph}" if i % 10 == 0 else paragraph
                       for i in range(50))
    store = Store(tmp / "open.sqlite3")
    feed = store.add_feed("http://127.0.0.1:9/long.xml", "Long", full_text=False)
    entries = [ParsedEntry(f"l{i}", f"Long story {i}", None, None) for i in range(opens)]
    store.store_entries(feed.id, entries, [body] * opens)
    times: list[float] = []
    whole: list[float] = []

    async def run() -> None:
        shown = asyncio.Event()

        def hook(message: object) -> None:
            # The story read by the worker arrives at the screen: once the screen has
            # handled it (laid out the first screenful), the story is shown.
            if isinstance(message, MainScreen.StoryRead):
                app.main.call_next(shown.set)

        app = WarReaderApp(store, welcome=False)
        async with app.run_test(size=(160, 48), message_hook=hook) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause(0.5)  # the idle app prepares the article view
            stories = app.main.stories
            for _ in range(opens):
                shown.clear()
                started = time.perf_counter()
                stories.action_open()
                await shown.wait()
                times.append((time.perf_counter() - started) * 1000)
                await app.workers.wait_for_complete()
                await pilot.pause()
                whole.append((time.perf_counter() - started) * 1000)
                stories.cursor += 1

    asyncio.run(run())
    store.close()
    print(f"story words: {len(body.split())}")
    return times, whole


def newsboat_time(runs: int, work: Path) -> float | None:
    if not shutil.which("newsboat"):
        print("newsboat: not installed (apt-get install -y newsboat)")
        return None
    urls, conf, cache = work / "urls.txt", work / "conf", work / "cache.db"
    conf.write_text("")
    with feedfarm("--feeds", "200", "--items", "50", "--urls-file", str(urls)):
        subprocess.run(["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(conf),
                        "-x", "reload"], check=True, capture_output=True, timeout=600)
    cmd = f"newsboat -u {urls} -c {cache} -C {conf}"
    return median_of(runs, lambda: probe(cmd, r"\(\d+/50\)", python=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-newsboat", action="store_true")
    ap.add_argument("--baseline", type=Path, help="another checkout to time in the same run")
    ap.add_argument("--bytecode-cache", action="store_true",
                    help="let Python cache compiled modules (in the run's temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.bytecode_cache:
            PYTHON_ENV[:] = ["PYTHONDONTWRITEBYTECODE=", f"PYTHONPYCACHEPREFIX={tmp / 'pycache'}"]
        home = tmp / "home"
        started = time.perf_counter()
        fill(home)
        print(f"store filled with 10,000 stories in {time.perf_counter() - started:.1f} s")
        cmd = " ".join(warreader_cmd())
        ready = r"All stories 10,000"
        base = None
        if args.baseline:
            base_home = tmp / "base-home"
            base_cmd = fill_baseline(args.baseline.resolve(), base_home)
            ours, base = interleaved(args.runs, [
                lambda: probe(cmd, ready, [f"WARREADER_HOME={home}"]),
                lambda: probe(base_cmd, ready, [f"WARREADER_HOME={base_home}"])])
        else:
            ours = median_of(args.runs, lambda: probe(cmd, ready, [f"WARREADER_HOME={home}"]))
        bare_file = tmp / "bare.py"
        bare_file.write_text(BARE_APP)
        bare = median_of(args.runs, lambda: probe(f"{sys.executable} {bare_file}",
                                                  r"Bare item 1\b"))
        boat = None if args.skip_newsboat else newsboat_time(args.runs, tmp)
        memory = rss_mb(home)
        opens, whole = story_open_ms(tmp)
    if args.bytecode_cache:
        print("bytecode: cached after the warm-up launch, as an installed copy has it")
    elif os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("bytecode: compiled at every launch (PYTHONDONTWRITEBYTECODE is set)")
    print(f"load average (1, 5, 15 min) at the end: {' '.join(map(str, os.getloadavg()))}")
    print(f"warreader to story list (10,000 stories): {ours:.3f} s (median of {args.runs})")
    if base is not None:
        print(f"baseline {args.baseline} to story list:  {base:.3f} s "
              f"(ratio this / baseline {ours / base:.2f})")
    print(f"bare Textual app to its list:             {bare:.3f} s")
    if boat is not None:
        print(f"newsboat to its feed list (10,000 items): {boat:.3f} s")
        print(f"ratio warreader / newsboat: {ours / boat:.2f}  (target <= 1.00)")
    print(f"ratio warreader / bare Textual: {ours / bare:.2f}  (target <= 1.15)")
    print(f"warreader RSS with 10,000 stories: {memory:.0f} MB  (target <= 200)")
    print("open a 5,000-word story, first screenful: median "
          f"{statistics.median(opens):.0f} ms, max {max(opens):.0f} ms  (target <= 100)")
    print("open a 5,000-word story, all of it laid out: median "
          f"{statistics.median(whole):.0f} ms, max {max(whole):.0f} ms")


if __name__ == "__main__":
    main()
