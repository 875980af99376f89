"""Wall-clock and CPU seconds per build stage, for the summary."""

from __future__ import annotations

import resource
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kg.model import Paper


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall-clock and CPU seconds per stage, for the summary: of this process (``cpu``) and
    of the worker processes that ended during the stage (``worker_cpu``: pools are closed at
    the end of the stage that used them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.worker_cpu: dict[str, float] = defaultdict(float)
        self.stage: str | None = None

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        outer, self.stage = self.stage, stage
        start, cpu, children = time.perf_counter(), time.process_time(), _cpu_children()
        try:
            yield
        finally:
            elapsed, used = time.perf_counter() - start, time.process_time() - cpu
            workers = _cpu_children() - children
            self.seconds[stage] += elapsed
            self.cpu[stage] += used
            self.worker_cpu[stage] += workers
            if outer is not None:
                self.seconds[outer] -= elapsed
                self.cpu[outer] -= used
                self.worker_cpu[outer] -= workers
            self.stage = outer

    def timed(self, items: Iterable[Paper], stage: str) -> Iterator[Paper]:
        it = iter(items)
        while True:
            with self(stage):
                item = next(it, None)
            if item is None:
                return
            yield item
