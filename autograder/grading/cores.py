"""The machine's cores shared out among the workers: each run holds a set of its own, so
however many threads a submission starts, its neighbours keep their cores."""

import os
import queue
from contextlib import contextmanager


class CoreSlots:
    def __init__(self, workers: int):
        cores = sorted(os.sched_getaffinity(0))
        count = max(1, min(workers, len(cores)))
        size = len(cores) // count
        self._free: queue.Queue[tuple[int, ...]] = queue.Queue()
        for slot in range(count):
            self._free.put(tuple(cores[slot * size:(slot + 1) * size]))

    @contextmanager
    def held(self):
        """A set of cores, held for one run; a worker without one waits for it."""
        cores = self._free.get()
        try:
            yield cores
        finally:
            self._free.put(cores)
