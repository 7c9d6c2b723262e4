"""Instructions from launch to the story list on screen, counted by valgrind (cachegrind).

    uv run python benchmarks/startup_instructions.py [--baseline DIR] [--runs 1]
                                                     [--bytecode-cache]

Wall-clock start-up times on a shared machine spread by a factor of two and more between
launches (benchmarks/startup.py); the number of instructions a launch executes barely moves
(runs agree to about 0.1%), so two versions can be compared when the machine is busy.

The reader runs in tmux (a real terminal) under `valgrind --tool=cachegrind`, with 10,000
cached stories (as benchmarks/startup.py fills them), until its output first holds
"All stories 10,000"; it then exits, and valgrind reports the instructions ("I refs").
Valgrind makes the launch some forty times slower, so timers that fire after the first frame
in a real launch (the article view is prepared 0.2 s after the list loads) would fire before
it: timers of 0.1 s and more are pushed past the frame, in both checkouts alike.
PYTHONHASHSEED is fixed so that runs repeat. Python compiles every module as it would in a
launch here (see the note on PYTHONDONTWRITEBYTECODE in benchmarks/startup.py); with
--bytecode-cache, one plain launch first fills a cache in the run's temporary folder and the
counted launch reads it, as an installed copy would.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import fill, fill_baseline

ROOT = Path(__file__).resolve().parents[1]

# Runs inside the launched Python, in place of the `warreader` script.
LAUNCH = r'''
import importlib.abc, importlib.util, os, re, sys

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def patch_driver(module):
    write, seen = module.LinuxDriver.write, []

    def watching(self, data):
        write(self, data)
        seen.append(ANSI.sub("", data))
        if re.search(r"All stories\s*10,000", "".join(seen[-50:])):
            os._exit(0)

    module.LinuxDriver.write = watching


def patch_timers(module):
    set_timer = module.MessagePump.set_timer

    def later(self, delay, *args, **kwargs):
        return set_timer(self, delay + 1000 if delay >= 0.1 else delay, *args, **kwargs)

    module.MessagePump.set_timer = later


PATCH = {"textual.drivers.linux_driver": patch_driver, "textual.message_pump": patch_timers}


class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in PATCH:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            PATCH[name](module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Finder())
from reader.cli import main

sys.exit(main([]))
'''


def launch_in_tmux(command: str, done: Path, tag: str) -> None:
    """Run `command` in a detached tmux session (a real terminal) until it has ended."""
    done.unlink(missing_ok=True)
    session = f"instr{os.getpid()}{tag}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "48",
                    f"{command}; touch {done}"], check=True)
    try:
        deadline = time.monotonic() + 600
        while not done.exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"{tag}: no first frame within 10 minutes")
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def instructions(python: Path, home: Path, launch: Path, work: Path, tag: str,
                 cache: Path | None) -> int:
    """Instructions of one launch of `python` (a checkout's venv) on the store at `home`;
    with `cache`, Python's bytecode cache for it, filled by a plain launch first."""
    log, done = work / f"{tag}.log", work / f"{tag}.done"
    env = f"env WARREADER_HOME={home} PYTHONHASHSEED=0 TERM=xterm-256color"
    if cache is not None:
        env += f" PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX={cache}"
        launch_in_tmux(f"{env} {python} {launch}", done, tag)
    launch_in_tmux(f"{env} valgrind --tool=cachegrind --cache-sim=no "
                   f"--cachegrind-out-file=/dev/null --log-file={log} {python} {launch}",
                   done, tag)
    found = re.search(r"I\s+refs:\s+([\d,]+)", log.read_text())
    if not found:
        raise SystemExit(f"{tag}: valgrind reported no count:\n{log.read_text()}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", type=Path, help="another checkout, counted the same way")
    ap.add_argument("--runs", type=int, default=1, help="launches of each (median)")
    ap.add_argument("--bytecode-cache", action="store_true",
                    help="count launches that read a bytecode cache, as an installed copy")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install -y valgrind)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        launch = tmp / "launch.py"
        launch.write_text(LAUNCH)
        fill(tmp / "home")
        checkouts = [("this", Path(sys.executable), tmp / "home")]
        if args.baseline:
            base = args.baseline.resolve()
            fill_baseline(base, tmp / "base-home")
            checkouts.append(("baseline", base / ".venv" / "bin" / "python", tmp / "base-home"))
        counts: dict[str, list[int]] = {name: [] for name, _, _ in checkouts}
        for run in range(args.runs):
            for name, python, home in checkouts:
                cache = tmp / f"pycache-{name}" if args.bytecode_cache else None
                counts[name].append(instructions(python, home, launch, tmp, f"{name}{run}",
                                                 cache))
    print("bytecode: " + ("cached, as an installed copy has it" if args.bytecode_cache
                          else "compiled at every launch"))
    this = statistics.median(counts["this"])
    print(f"this checkout: {this / 1e9:.3f} billion instructions to the story list "
          f"(runs: {', '.join(f'{c / 1e9:.3f}' for c in counts['this'])})")
    if args.baseline:
        base_count = statistics.median(counts["baseline"])
        print(f"baseline {args.baseline}: {base_count / 1e9:.3f} billion (runs: "
              f"{', '.join(f'{c / 1e9:.3f}' for c in counts['baseline'])}); "
              f"ratio this / baseline {this / base_count:.3f}")


if __name__ == "__main__":
    main()
