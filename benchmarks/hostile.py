"""What the worst inputs cost: figures for the README's reliability notes.

    uv run python benchmarks/hostile.py [--cells 200000] [--items 100000]

Serves, from 127.0.0.1, a page whose one table row has `--cells` cells (extraction time grows
faster than linearly with it: minutes of processor time at 200,000 without limits) next to an
ordinary page, and a feed of `--items` items. Runs the real `warreader refresh` against them
with the default limits and prints:

- wall time, the refresh process's peak RSS and the largest worker's peak RSS for the
  heavy page, and what the story says;
- how long `warreader refresh` takes to return after SIGINT (Ctrl-C) and SIGTERM while a
  worker extracts the heavy page, and whether any worker outlives a SIGKILL of the refresh;
- wall time and peak RSS of `refresh --feeds-only` on the big feed, and how many items one
  refresh kept.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from _farm import warreader_cmd

GOOD = ("<html><body><article><h1>Good</h1><p>"
        + "Kyiv said on Monday that the bridge had been repaired and reopened. " * 10
        + "</p></article></body></html>").encode()


def heavy(cells: int) -> bytes:
    words = "A paragraph of real words about the war and the front line. " * 20
    return (f"<html><body><article><h1>Table</h1><p>{words}</p><table><tr>"
            f"{'<td>x</td>' * cells}</tr></table></article></body></html>").encode()


def serve(routes: dict[str, bytes]) -> str:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            kind = "application/xml" if self.path.endswith(".xml") else "text/html"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def feed(base: str, names: list[str], count: int = 0) -> bytes:
    items = [f"<item><title>{n}</title><link>{base}/{n}.html</link><guid>{n}</guid>"
             f"<description>Feed text of {n}.</description></item>" for n in names]
    items += [f"<item><title>Item {i}</title><guid>i{i}</guid><pubDate>"
              f"{time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime(1.6e9 + i * 60))}"
              f"</pubDate><description>Summary {i} of the day.</description></item>"
              for i in range(count)]
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
            f"{''.join(items)}</channel></rss>").encode()


def workers_of(pid: int) -> set[int]:
    found: set[int] = set()
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError):
            found.update(int(p) for p in Path(f"/proc/{pid}/task/{tid}/children")
                         .read_text().split())
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def hwm_mb(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), in MB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Peaks:
    """Samples the peak memory of a process and, separately, of its largest child."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.own = self.worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.own = max(self.own, hwm_mb(self.pid))
            for child in workers_of(self.pid) if Path(f"/proc/{self.pid}").exists() else ():
                self.worker = max(self.worker, hwm_mb(child))
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def home_with(url: str) -> tuple[list[str], dict[str, str]]:
    home = Path(tempfile.mkdtemp(prefix="wr-hostile-"))
    cmd = [*warreader_cmd(), "--data-dir", str(home)]
    env = {**os.environ, "WARREADER_HOME": str(home)}
    subprocess.run([*cmd, "add", url], env=env, check=True, capture_output=True)
    return cmd, env


def heavy_refresh(base: str) -> None:
    cmd, env = home_with(f"{base}/heavy.xml")
    started = time.perf_counter()
    proc = subprocess.Popen([*cmd, "refresh", "--quiet"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peaks = Peaks(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    peaks.stop()
    db = Path(env["WARREADER_HOME"]) / "data" / "warreader.sqlite3"
    conn = sqlite3.connect(db)
    error = conn.execute("SELECT extract_error FROM stories WHERE title = 'heavy'").fetchone()[0]
    good = conn.execute("SELECT full_text FROM stories WHERE title = 'good'").fetchone()[0]
    conn.close()
    cpu = usage.ru_utime + usage.ru_stime  # the refresh and every worker it waited for
    print(f"heavy page, default limits: refresh {wall:.1f} s wall, {cpu:.1f} s processor"
          f" time in all, exit {os.waitstatus_to_exitcode(status)}; peak RSS: refresh process"
          f" {peaks.own:.0f} MB, largest worker {peaks.worker:.0f} MB (sampled every 50 ms)")
    print(f"  the heavy story says: {error}")
    print(f"  the good page beside it: {'full text stored' if good else 'NOT stored'}")


def stop_during_heavy(base: str, sig: int) -> None:
    cmd, env = home_with(f"{base}/heavy.xml")
    proc = subprocess.Popen([*cmd, "refresh", "--quiet"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and not workers:
        workers = {p for p in workers_of(proc.pid) if alive(p)}
        time.sleep(0.05)
    time.sleep(2)  # well inside the heavy page
    started = time.perf_counter()
    os.kill(proc.pid, sig)
    proc.wait()
    exited = time.perf_counter() - started
    while any(alive(p) for p in workers) and time.perf_counter() - started < 30:
        time.sleep(0.01)
    gone = time.perf_counter() - started
    left = [p for p in workers if alive(p)]
    print(f"{signal.Signals(sig).name} during the heavy page: refresh exited after"
          f" {exited:.2f} s (status {proc.returncode}); its workers gone after {gone:.2f} s;"
          f" left running: {len(left)}")


def big_feed(base: str, items: int) -> None:
    cmd, env = home_with(f"{base}/big.xml")
    started = time.perf_counter()
    proc = subprocess.Popen([*cmd, "refresh", "--feeds-only", "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)  # no workers: --feeds-only extracts nothing
    wall = time.perf_counter() - started
    conn = sqlite3.connect(Path(env["WARREADER_HOME"]) / "data" / "warreader.sqlite3")
    kept = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    conn.close()
    print(f"{items:,}-item feed, refresh --feeds-only: {wall:.1f} s wall, peak RSS"
          f" {usage.ru_maxrss / 1024:.0f} MB, {kept} items kept (newest first)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cells", type=int, default=200_000)
    ap.add_argument("--items", type=int, default=100_000)
    args = ap.parse_args()
    if not sys.platform.startswith("linux"):
        sys.exit("reads the process tree from /proc: Linux only")
    routes: dict[str, bytes] = {"/heavy.html": heavy(args.cells), "/good.html": GOOD}
    base = serve(routes)
    routes["/heavy.xml"] = feed(base, ["heavy", "good"])
    routes["/big.xml"] = feed(base, [], args.items)
    print(f"heavy page: one table row of {args.cells:,} cells, {len(routes['/heavy.html']):,}"
          f" bytes; big feed: {len(routes['/big.xml']):,} bytes")
    heavy_refresh(base)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        stop_during_heavy(base, sig)
    big_feed(base, args.items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
