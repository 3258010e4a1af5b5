"""Stopping every running sandbox at once when the instructor presses Ctrl-C.

One Cancellation is made per class grading and passed down to each run, so
nothing about it is global: two gradings in one process never stop each other.
"""

import os
import signal
import subprocess
import threading
from contextlib import contextmanager


class Interrupted(Exception):
    """The run was stopped because grading was cancelled: it has no outcome to keep."""


class Cancellation:
    def __init__(self):
        self._requested = threading.Event()
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()

    @property
    def requested(self) -> bool:
        return self._requested.is_set()

    def cancel(self) -> None:
        """Kill every run now; each of them then raises Interrupted."""
        self._requested.set()
        with self._lock:
            running = list(self._running)
        for process in running:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def raise_if_requested(self) -> None:
        if self.requested:
            raise Interrupted("grading was interrupted")

    @contextmanager
    def watching(self, process: subprocess.Popen):
        with self._lock:
            self._running.add(process)
        try:
            yield
        finally:
            with self._lock:
                self._running.discard(process)
