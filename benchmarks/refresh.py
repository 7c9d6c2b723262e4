"""Refresh speed against newsboat 2.21 on the same loopback farm.

    uv run python benchmarks/refresh.py [--feeds 200] [--items 50] [--latency-ms 20]

Prints cold and warm (every feed answers 304) times for `warreader refresh --feeds-only` and
for `newsboat -x reload` with reload-threads 16 and with its default, peak RSS, the ratios
against the targets, and full-page fetch+extract throughput in pages/s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from _farm import feedfarm, timed, warreader_cmd


def newsboat_runs(urls: Path, work: Path, threads: int | None) -> tuple[float, float] | None:
    exe = shutil.which("newsboat")
    if not exe:
        return None
    conf = work / f"conf-{threads}"
    conf.write_text(f"reload-threads {threads}\n" if threads else "")
    cache = work / f"cache-{threads}.db"
    cmd = [exe, "-u", str(urls), "-c", str(cache), "-C", str(conf), "-x", "reload"]
    env = {**os.environ, "HOME": str(work)}
    cold = timed(cmd, env=env)
    warm = timed(cmd, env=env)
    return cold.seconds, warm.seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=16)
    ap.add_argument("--pages", type=int, default=200, help="article pages for the throughput run")
    ap.add_argument("--skip-newsboat-default", action="store_true",
                    help="skip newsboat's single-thread default (about 15 s cold)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="warreader-bench-"))
    urls = work / "urls.txt"
    opml = work / "subs.opml"
    wr = warreader_cmd()
    with feedfarm("--feeds", str(args.feeds), "--items", str(args.items),
                  "--latency-ms", str(args.latency_ms), "--urls-file", str(urls),
                  "--opml", str(opml)) as base:
        print(f"farm: {args.feeds} feeds x {args.items} items, "
              f"{args.latency_ms} ms latency, {base}")
        home = work / "wr"
        env = {**os.environ, "WARREADER_HOME": str(home)}
        # Every farm feed is on one host; newsboat has no per-host limit, so for a like-for-like
        # run ours is raised to the same 16 connections (the default of 4 is for real sites).
        conf = work / "warreader.toml"
        conf.write_text(f"[network]\njobs = {args.jobs}\nper_host = {args.jobs}\n")
        wr = [*wr, "--config", str(conf)]
        timed([*wr, "import-opml", str(opml)], env=env)
        refresh = [*wr, "refresh", "--feeds-only", "--quiet"]
        cold = timed(refresh, env=env)
        warm = timed(refresh, env=env)
        if cold.returncode or warm.returncode:
            print(cold.stdout[-2000:], warm.stdout[-2000:])
        print(f"warreader cold: {cold.seconds:.2f} s  peak RSS {cold.peak_rss_mb:.0f} MB  "
              f"({cold.stdout.strip().splitlines()[-1] if cold.stdout.strip() else ''})")
        print(f"warreader warm: {warm.seconds:.2f} s  peak RSS {warm.peak_rss_mb:.0f} MB  "
              f"({warm.stdout.strip().splitlines()[-1] if warm.stdout.strip() else ''})")

        nb16 = newsboat_runs(urls, work, 16)
        if nb16 is None:
            print("newsboat: not installed (apt-get install newsboat) - no comparison")
        else:
            print(f"newsboat 16 threads: cold {nb16[0]:.2f} s, warm {nb16[1]:.2f} s")
            print(f"ratio cold  {cold.seconds / nb16[0]:.2f}x of newsboat-16 (target <= 0.50)")
            print(f"ratio warm  {warm.seconds / nb16[1]:.2f}x of newsboat-16 (target <= 0.25)")
            if not args.skip_newsboat_default:
                nbd = newsboat_runs(urls, work, None)
                assert nbd is not None
                print(f"newsboat default (1 thread): cold {nbd[0]:.2f} s, warm {nbd[1]:.2f} s")
        print(f"peak RSS {max(cold.peak_rss_mb, warm.peak_rss_mb):.0f} MB (target <= 150)")

        # Full-page throughput: a fresh cache, enough feeds for --pages article pages.
        page_home = work / "pages"
        penv = {**os.environ, "WARREADER_HOME": str(page_home)}
        lines = urls.read_text().split()
        need = max(1, -(-args.pages // args.items))
        for url in lines[:need]:
            timed([*wr, "add", url], env=penv)
        full = timed([*wr, "refresh", "--quiet"], env=penv)
        m = re.search(r"(\d+) full pages fetched", full.stdout)
        pages = int(m.group(1)) if m else 0
        print(f"full pages: {pages} fetched+extracted+analysed in {full.seconds:.2f} s = "
              f"{pages / full.seconds:.1f} pages/s, peak RSS {full.peak_rss_mb:.0f} MB "
              "(parent process; the extraction worker is a separate process)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
