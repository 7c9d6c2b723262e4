"""Making the core's process pool work under Textual.

While the app runs, Textual replaces `sys.stderr` with an object whose `fileno()` is -1.
multiprocessing starts its resource tracker with `sys.stderr.fileno()` among the descriptors
to pass on, and fails with "bad value(s) in fds_to_keep". Starting the tracker once with the
real stderr in place avoids that; later pools reuse the running tracker.
"""

from __future__ import annotations

import contextlib
import sys
import threading

_lock = threading.Lock()


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker if it is not running (call from a worker)."""
    from multiprocessing import resource_tracker

    with _lock:
        saved = sys.stderr
        real = sys.__stderr__
        try:
            if real is not None:
                sys.stderr = real
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def safe_ensure_resource_tracker() -> None:
    with contextlib.suppress(Exception):  # the refresh reports its own error if this fails
        ensure_resource_tracker()
