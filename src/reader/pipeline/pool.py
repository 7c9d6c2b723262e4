"""CPU-heavy work that runs in separate processes: page extraction and text analysis.

Running it in a process keeps the refresh's event loop (and the TUI) responsive: the GIL
is never held for tens of milliseconds by trafilatura or the entity tagger. A process can also
be limited and killed: a hostile page (a table of 200,000 cells) costs at most its limits,
and cancel and quit never wait for it. Tasks take and return picklable plain data.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from reader.errors import ReaderError
from reader.models import Article, Entity, TimelineFact

Analysis = tuple[list[Entity], list[TimelineFact]]
T = TypeVar("T")


class LimitError(ReaderError):
    """A piece of work went over its processor-time or memory limit, or its worker died."""


class _Worker:
    """One worker process, fed tasks one at a time over its stdin and answering on stdout."""

    def __init__(self, env: dict[str, str]) -> None:
        code = f"import {__name__} as m; m.serve()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(os.getpid())], env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True,  # only the two pipes: parent death is the pipe's EOF
        )

    def call(self, task: tuple[Any, ...]) -> tuple[str, Any]:
        """Blocking: send a task, wait for the answer. EOFError if the worker died."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            pickle.dump(task, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
            answer: tuple[str, Any] = pickle.load(self.proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            raise EOFError from None
        return answer

    def kill(self) -> int:
        """Stop the process at once; its exit status (negative: the signal that ended it)."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                pipe.close()  # type: ignore[union-attr]
        return self.proc.wait()


class Pool:
    """Worker processes for extraction and analysis, each task under a time and memory limit.

    A task that uses more than `cpu_seconds` of processor time or `memory_mb` of memory, or
    more than a few times that in wall time, has its worker killed and replaced, and raises
    LimitError. Cancelling a task (or closing the pool) kills its worker at once, so cancel
    and quit never wait for a page. Workers end by themselves when this process dies, however
    it dies (see `serve`). Use from one event loop; `close()` when done.
    """

    def __init__(self, workers: int | None = None, *, cpu_seconds: float = 15.0,
                 memory_mb: int = 1024) -> None:
        if workers is None:
            workers = max(1, (os.cpu_count() or 2) - 1)
        self.size = workers
        self.cpu_seconds = cpu_seconds
        self.memory_mb = memory_mb
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._slots: asyncio.Semaphore | None = None
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="warreader-pool")
        self._closed = False
        package = sys.modules[__name__.split(".")[0]].__file__
        path = [str(Path(package).parent.parent)] if package else []
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(path + [p for p in sys.path if p])
        self._env = env

    async def run(self, fn: Callable[..., T], *args: Any, scale: int = 1) -> T:
        """`fn(*args)` in a worker; `scale` multiplies the time limit (for batches)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            if self._closed:
                raise asyncio.CancelledError
            worker = self._idle.pop() if self._idle else _Worker(self._env)
            self._busy.add(worker)
            cpu = self.cpu_seconds * scale
            task = (fn, args, cpu, self.memory_mb)
            loop = asyncio.get_running_loop()
            wall = max(cpu * 4, cpu + 30)  # a loaded machine: waiting for a core counts too
            try:
                async with asyncio.timeout(wall):
                    status, value = await loop.run_in_executor(self._threads, worker.call, task)
            except EOFError:
                raise LimitError(self._why(worker.kill(), cpu)) from None
            except TimeoutError:
                worker.kill()
                raise LimitError(f"it took longer than {wall:g} s") from None
            except BaseException:
                worker.kill()  # cancelled: never wait for the page
                raise
            finally:
                self._busy.discard(worker)
            if status == "memory":
                worker.kill()
                raise LimitError(f"it needed more than {self.memory_mb} MB of memory")
            if self._closed:
                worker.kill()
            else:
                self._idle.append(worker)
            if status == "error":
                raise LimitError(str(value))
            return value

    def _why(self, status: int, cpu: float) -> str:
        if status == -getattr(signal, "SIGXCPU", 0):
            return f"it needed more than {cpu:g} s of processor time"
        if status == -signal.SIGKILL:
            return f"it needed more than {self.memory_mb} MB of memory or was stopped"
        return f"its worker stopped (status {status})"

    def close(self) -> None:
        """Kill every worker, busy or idle; running tasks end with an error at once."""
        self._closed = True
        for worker in [*self._idle, *self._busy]:
            worker.kill()
        self._idle.clear()
        self._threads.shutdown(wait=True, cancel_futures=True)

    async def __aenter__(self) -> Pool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


# The worker side --------------------------------------------------------------------------

def _watch_parent(parent: int) -> None:
    """End this process when `parent` dies, whatever killed it and whatever we are doing.

    On Linux the kernel sends SIGKILL (PR_SET_PDEATHSIG), which works even while a C library
    holds the GIL; elsewhere a thread notices that we were re-parented.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _set_limits(cpu_seconds: float, memory_mb: int) -> None:
    """Limit the next task: processor time from now, and memory above what is in use."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + cpu_seconds) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    if sys.platform.startswith("linux"):  # RLIMIT_AS is not enforced everywhere
        with open("/proc/self/statm", encoding="ascii") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = size + memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def serve() -> None:
    """A worker process's loop: read a task, run it within its limits, answer; EOF ends it."""
    _watch_parent(int(sys.argv[1]))
    tasks = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    # Workers share the terminal: a library's stray output must not reach it, and Ctrl-C
    # is the parent's to handle (it kills the workers it no longer needs).
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    while True:
        try:
            fn, args, cpu_seconds, memory_mb = pickle.load(tasks)
        except (EOFError, OSError):
            return
        answer: tuple[str, Any]
        try:
            _set_limits(cpu_seconds, memory_mb)
            answer = ("ok", fn(*args))
        except MemoryError:
            answer = ("memory", None)
        except Exception as exc:  # a bug must not end the worker silently
            answer = ("error", f"it failed ({type(exc).__name__})")
        try:
            pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        except (MemoryError, OSError):
            return
        if answer[0] == "memory":
            return

def analyse(text: str, published: dt.datetime | dt.date | None) -> Analysis:
    """Entities and timeline facts of a story's Markdown body; empty for an empty body."""
    if not text.strip():
        return [], []
    from reader.nlp import extract_entities, extract_timeline

    when = published or dt.datetime.now(dt.UTC)
    entities = extract_entities(text)
    return entities, extract_timeline(text, when, entities=entities)


def extract_and_analyse(
    html: bytes, url: str, published: dt.datetime | None, with_analysis: bool = True
) -> tuple[Article | None, str | None, Analysis | None]:
    """Extract a page's article and analyse it. Never raises: errors come back as text."""
    from reader.content.article import extract_article
    from reader.errors import ReaderError

    try:
        article = extract_article(html, url)
    except ReaderError as exc:
        return None, str(exc), None
    except MemoryError:
        raise  # the worker reports it and is replaced
    except Exception as exc:  # a library bug on hostile HTML must not end the refresh
        return None, f"The page could not be read ({type(exc).__name__}).", None
    if not article.markdown.strip():
        return None, "No article text was found on the page.", None
    analysis = None
    if with_analysis:
        try:
            analysis = analyse(article.markdown, published or article.published)
        except MemoryError:
            raise
        except Exception:
            analysis = None  # stored stories are re-analysed later; never lose the article
    return article, None, analysis


def analyse_batch(
    items: list[tuple[int, str, dt.datetime | None]],
) -> list[tuple[int, Analysis | None]]:
    """Analyse several stories in one round trip to the worker process."""
    out: list[tuple[int, Analysis | None]] = []
    for story_id, text, published in items:
        try:
            out.append((story_id, analyse(text, published)))
        except Exception:
            out.append((story_id, None))
    return out
