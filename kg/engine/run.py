"""Run extraction over bounded batches with the chosen engine (local pool or Dask)."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kg.engine.batching import batched, windowed
from kg.engine.cache import ExtractionCache
from kg.errors import KgError
from kg.extract import extract_papers, load_nlp
from kg.model import Extraction, Paper

ENGINES = ("local", "dask")
R = TypeVar("R")
Submit = Callable[[list[Paper]], Callable[[], list[Extraction]]]
Then = Callable[[list[Extraction]], R]


@dataclass(frozen=True)
class EngineOptions:
    """How to run extraction. ``jobs=0`` means one per core."""

    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None
    cache: Path | None = None
    fast: bool = False
    batch_size: int = 64

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else os.cpu_count() or 1


def extract_batch(papers: list[Paper], fast: bool = False) -> list[Extraction]:
    """Extract one batch in this process (the pipeline is loaded once per process)."""
    nlp = load_nlp(model=False) if fast else load_nlp()  # load_nlp() is the shared default
    return list(extract_papers(papers, nlp))


def fork_pool(workers: int) -> multiprocessing.pool.Pool:
    """A pool of forked workers. This process's objects are frozen out of the garbage
    collector while it forks, so the workers' collections skip what they inherit (they would
    otherwise walk it, and copy it on write: the pipeline, the resolver's state)."""
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    finally:
        gc.unfreeze()


def _extract_then(papers: list[Paper], fast: bool, then: Then[R]) -> R:
    with cyclic_gc_paused():
        return then(extract_batch(papers, fast))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one batch: extraction leaves no reference
    cycles (``tests/test_engine.py`` checks), yet its many short-lived objects would start
    a collection every few hundred allocations. It runs again after the batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _local(
    options: EngineOptions, stack: ExitStack, then: Then[R], preload: bool = True
) -> Callable[[list[Paper]], Callable[[], R]]:
    """Extract each batch and run ``then`` on it in the same process: the main one with one
    job, else a pool worker (so only what ``then`` returns travels back)."""
    if preload:  # (not with a cache, which may need no extraction at all)
        # Pool workers share the pipeline instead of each loading it, and here, as in the
        # workers, the garbage collector then leaves it out of its collections.
        load_nlp(model=False) if options.fast else load_nlp()
    if options.workers == 1:

        def inline(batch: list[Paper]) -> Callable[[], R]:
            result = _extract_then(batch, options.fast, then)
            return lambda: result

        gc.freeze()
        stack.callback(gc.unfreeze)
        return inline
    pool = stack.enter_context(fork_pool(options.workers))

    def submit(batch: list[Paper]) -> Callable[[], R]:
        return pool.apply_async(_extract_then, (batch, options.fast, then)).get

    return submit


def _list(extractions: list[Extraction]) -> list[Extraction]:
    return extractions


def _dask(options: EngineOptions, stack: ExitStack) -> Submit:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - depends on the install
        raise KgError("--engine dask needs the dask extra: pip install 'kg[dask]'") from err
    if options.scheduler:
        try:
            client = stack.enter_context(Client(options.scheduler, timeout="10s"))
        except OSError as err:
            raise KgError(f"cannot reach the Dask scheduler {options.scheduler}: {err}") from err
    else:
        cluster = stack.enter_context(
            LocalCluster(
                n_workers=options.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            )
        )
        client = stack.enter_context(Client(cluster))

    def submit(batch: list[Paper]) -> Callable[[], list[Extraction]]:
        future: Any = client.submit(extract_batch, batch, options.fast, pure=False)
        return future.result

    return submit


def _cached(submit: Submit, cache: ExtractionCache) -> Submit:
    """Look each batch up in the cache; only the missing papers go to the engine."""

    def lookup(batch: list[Paper]) -> Callable[[], list[Extraction]]:
        found = cache.get(batch)
        missing = [p for p, x in zip(batch, found, strict=True) if x is None]
        wait = submit(missing) if missing else (lambda: [])

        def merge() -> list[Extraction]:
            fresh = wait()
            cache.put(fresh)
            it = iter(fresh)
            return [x if x is not None else next(it) for x in found]

        return merge

    return lookup


def _then(submit: Submit, then: Then[R]) -> Callable[[list[Paper]], Callable[[], R]]:
    """Run ``then`` in this process on each batch ``submit`` extracts."""

    def wrapped(batch: list[Paper]) -> Callable[[], R]:
        wait = submit(batch)
        return lambda: then(wait())

    return wrapped


def extract_batches(
    papers: Iterable[Paper], options: EngineOptions | None, then: Then[R]
) -> Iterator[R]:
    """``then(extractions)`` of each batch of papers, in input order, whatever the engine.

    With the local engine and no cache, ``then`` runs in the process that extracted the
    batch (a pool worker with ``--jobs``), so the extractions themselves never cross
    processes; it must be picklable (a module-level function or a ``functools.partial`` of
    one). Otherwise (Dask, or a cache, which both hand extractions to this process) it runs
    here. Batches are always cut the same way, so results never depend on the engine."""
    options = options or EngineOptions()
    if options.engine not in ENGINES:
        raise KgError(f"unknown engine {options.engine!r} (known: {', '.join(ENGINES)})")
    with ExitStack() as stack:
        submit: Callable[[list[Paper]], Callable[[], R]]
        if options.engine == "local" and options.cache is None:
            submit = _local(options, stack, then)
        else:
            extract = (
                _dask(options, stack)
                if options.engine == "dask"
                else _local(options, stack, _list, preload=False)  # the cache
            )
            if options.cache is not None:
                cache = ExtractionCache(options.cache, options.fast)
                stack.callback(cache.close)
                extract = _cached(extract, cache)
            submit = _then(extract, then)
        window = 2 * options.workers + 1
        yield from windowed(batched(papers, options.batch_size), submit, window)


def extract_stream(
    papers: Iterable[Paper], options: EngineOptions | None = None
) -> Iterator[Extraction]:
    """One ``Extraction`` per paper, in input order, whatever the engine and job count.

    Batches are always cut the same way, so results never depend on the engine."""
    for extractions in extract_batches(papers, options, _list):
        yield from extractions
