"""Fixed-size batches and an order-keeping window of in-flight work."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def windowed(jobs: Iterable[T], submit: Callable[[T], Callable[[], R]], window: int) -> Iterator[R]:
    """Submit jobs keeping at most ``window`` in flight; yield results in submission order.

    ``submit`` starts a job and returns a function that waits for its result. Bounding the
    window keeps memory flat however long the input is (``Pool.imap`` reads ahead without
    limit)."""
    pending: deque[Callable[[], R]] = deque()
    for job in jobs:
        pending.append(submit(job))
        if len(pending) >= window:
            yield pending.popleft()()
    while pending:
        yield pending.popleft()()
