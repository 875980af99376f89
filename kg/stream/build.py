"""The streaming build: papers flow through extraction in bounded batches, the resolver keeps
compact per-name state, and the exports are written batch by batch.

Pass 1 extracts every paper (any engine); with the local engine each worker appends its
batches to its own spill file and sends back only the names the resolver needs, so
extractions never cross processes. The resolver then fixes the canonical entities. Pass 2
runs on workers forked after that (they inherit the resolver): each job reads a run of
spilled batches, resolves and renders them for every writer, spooling what it can itself
(sorted N-Triples runs); the main process only appends the parts in order. The writers' last
steps (merging the runs, one CSV per Neo4j table) run as parallel tasks. Memory does not
grow with the corpus beyond the per-name state (see ``StreamingResolver``) and the ingest's
duplicate keys."""

from __future__ import annotations

import gc
import pickle
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from kg.engine import EngineOptions, extract_batches
from kg.engine.batching import windowed
from kg.engine.run import fork_pool
from kg.errors import KgError
from kg.export import GRAPH_WRITERS, WRITERS, check_formats
from kg.export.ntriples import NTriplesWriter
from kg.export.rdf import DEFAULT_BASE
from kg.export.registry import Task, replace_outputs
from kg.export.staging import staging as staging_folder
from kg.model import Paper
from kg.resolve.entities import StreamingResolver
from kg.stream.appenders import APPENDERS, new_job
from kg.stream.clock import Clock
from kg.stream.ingest import PaperStream
from kg.stream.spill import skeleton, spill_batch, unspill_batch
from kg.stream.state import STATE, BuildState, JobState, Location, fingerprint, save_state
from kg.stream.summary import BuildSummary, paper_counts
from kg.stream.whole import SpilledCorpus, refs_of, resolved_items, write_whole_graph

RENDER_BATCH = 256  # papers per pass-2 job (and per sorted N-Triples run)
GRAPH_LIMIT = 100_000  # papers up to which the whole-graph formats are written
Progress = Callable[[Iterable[Paper], int], Iterable[Paper]]


@dataclass
class _Pass2:
    """What a pass-2 job needs: inherited by forked workers (the resolver is not pickled)."""

    resolver: StreamingResolver
    names: tuple[str, ...]  # the streamed writers
    base: str
    staging: Path
    spill: Path


_PASS2: _Pass2 | None = None


def pass_one(
    papers: Iterable[Paper],
    count: int,
    options: EngineOptions,
    spill: Path,
    resolver: StreamingResolver,
    clock: Clock,
    progress: Progress | None,
) -> list[Location]:
    """Extract the papers into the spill folder and add their names to the resolver;
    returns where the batches were spilled."""
    stream: Iterable[Paper] = clock.timed(papers, "parse")
    stream = progress(stream, count) if progress else stream
    locations: list[Location] = []
    with clock("extract"):
        for location, names_seen in extract_batches(stream, options, partial(spill_batch, spill)):
            locations.append(location)
            with clock("resolve"):
                for seen in names_seen:
                    resolver.add(skeleton(seen))
    return locations


def _render_job(job: int, locations: list[Location]) -> tuple[Counter[str], list[str], list[Any]]:
    """Resolve a run of spilled batches and render them for every writer."""
    state = _PASS2
    assert state is not None, "pass-2 state is set before the pool forks"
    extractions = [x for location in locations for x in unspill_batch(state.spill, location)]
    items = resolved_items(state.resolver, extractions)
    counts = Counter[str]()
    for x, _ in items:
        counts.update(paper_counts(x))
    writers = [WRITERS[name] for name in state.names]
    parts = [w.render(items, state.base, state.staging, job) for w in writers]
    return counts, refs_of(items), parts


def job_runs(locations: list[Location]) -> Iterator[tuple[int, list[Location]]]:
    """Consecutive spilled batches grouped into jobs of about ``RENDER_BATCH`` papers."""
    job: list[Location] = []
    papers = number = 0
    for location in locations:
        job.append(location)
        papers += location[3]
        if papers >= RENDER_BATCH:
            yield number, job
            job, papers, number = [], 0, number + 1
    if job:
        yield number, job


Run = Callable[..., Callable[[], Any]]


@contextmanager
def worker_pool(workers: int) -> Iterator[Run]:
    """Start a function: in this process with one worker, else on a forked process pool."""
    if workers == 1:

        def inline(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
            result = fn(*args)
            return lambda: result

        gc.freeze()  # as for the pool: collections skip the resolver state and the pipeline
        try:
            yield inline
        finally:
            gc.unfreeze()
        return
    with fork_pool(workers) as pool:
        yield lambda fn, *args: pool.apply_async(fn, args).get


def _run_tasks(run: Run, tasks: list[Task]) -> list[Any]:
    """Run independent tasks, the biggest first; results in task order."""
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i][2])
    waits = {i: run(tasks[i][0], *tasks[i][1]) for i in order}
    return [waits[i]() for i in range(len(tasks))]


def _job_state(
    locations: list[Location], refs: list[str], names: list[str], parts: list[Any]
) -> JobState:
    """What an append needs to know of a pass-2 job (see ``kg.stream.state``)."""
    return new_job(locations, refs, dict(zip(names, parts, strict=True)))


def _load_store(nt: Path, db: Path) -> None:
    """Bulk-load graph.nt into an on-disk Oxigraph store (what ``kg query --db`` opens)."""
    from kg.query.stores import oxigraph_store

    oxigraph_store([nt], db)


def stream_build(
    paths: Iterable[str | Path],
    out: Path,
    fmt: str | None = None,
    base_iri: str = DEFAULT_BASE,
    options: EngineOptions | None = None,
    formats: Iterable[str] | None = None,
    store: bool = False,
    progress: Progress | None = None,
    keep_state: bool = False,
    graph_limit: int = GRAPH_LIMIT,
) -> BuildSummary:
    """Build ``paths`` into ``out`` with flat memory; returns the build summary.

    Every registered writer runs (or those in ``formats``): the streamed ones batch by batch
    (``papers.jsonl``, ``graph.nt`` with ``graph.ttl`` and ``graph.jsonld``, ``neo4j/``),
    then, up to ``graph_limit`` papers, the whole-graph ones (``graph.html``, GEXF,
    GraphML); above it the summary's ``notes`` say what was left out. ``store`` also loads
    ``graph.nt`` into an Oxigraph store in ``store/``. ``keep_state`` also writes what
    ``kg.stream.append`` needs to add papers later (``OUT/.kg-state/``, see ``kg.stream.state``)."""
    try:
        chosen = check_formats(formats or None)
    except ValueError as err:
        raise KgError(str(err)) from None
    names = [n for n in chosen if n in WRITERS]
    whole = [n for n in chosen if n in GRAPH_WRITERS]
    clock = Clock()
    with clock("parse"):
        papers = PaperStream(paths, fmt)
    options = options or EngineOptions()
    resolver = StreamingResolver()
    counts: Counter[str] = Counter()
    out.mkdir(parents=True, exist_ok=True)
    with staging_folder(out) as staging:
        spill = staging / ".spill"
        spill.mkdir()
        locations = pass_one(papers, len(papers), options, spill, resolver, clock, progress)
        with clock("resolve"):
            raw = pickle.dumps(resolver, protocol=pickle.HIGHEST_PROTOCOL) if keep_state else b""
            entities = sorted(resolver.finish().values(), key=lambda e: e.id)
        global _PASS2
        _PASS2 = _Pass2(resolver, tuple(names), base_iri, staging, spill)
        job_states: list[JobState] = []
        try:
            with clock("export"), worker_pool(options.workers) as run:
                writers = [WRITERS[name](staging, base_iri) for name in names]

                def started() -> Iterator[tuple[int, list[Location]]]:
                    """The jobs; the writers begin once the first is submitted (while it
                    runs) and before its part is emitted (the window is at least 3)."""
                    begun = False
                    for number, job in job_runs(locations):
                        yield number, job
                        if not begun:
                            begun = True
                            for writer in writers:
                                writer.begin(entities)
                    if not begun:
                        for writer in writers:
                            writer.begin(entities)

                window = 2 * options.workers + 1

                def submit(job: tuple[int, list[Location]]) -> Callable[[], Any]:
                    wait = run(_render_job, *job)
                    return lambda: (job[1], *wait())

                for job_locations, done, refs, parts in windowed(started(), submit, window):
                    counts.update(done)
                    for writer, part in zip(writers, parts, strict=True):
                        writer.emit(part)
                    job_states.append(_job_state(job_locations, refs, names, parts))
                tasks = [writer.tasks() for writer in writers]
                results = iter(_run_tasks(run, [t for ts in tasks for t in ts]))
                written = [
                    path
                    for writer, ts in zip(writers, tasks, strict=True)
                    for path in writer.finish([next(results) for _ in ts])
                ]
        finally:
            _PASS2 = None
        with clock("graph"):
            corpus = SpilledCorpus(spill, locations, resolver, len(papers))
            more, notes = write_whole_graph(
                whole, corpus, entities, papers.listings, base_iri, staging, graph_limit
            )
            written += more
            notes[:0] = papers.notes
        if keep_state:
            (staging / STATE).mkdir()
            spill.replace(staging / STATE / "spill")
        else:
            shutil.rmtree(spill)
        triples = next((w.triples for w in writers if isinstance(w, NTriplesWriter)), None)
        if store and triples is not None:
            with clock("store"):
                _load_store(staging / "graph.nt", staging / "store")
            written.append(staging / "store")
        if keep_state:
            build_state = BuildState(
                fingerprint=fingerprint(options.fast),
                base_iri=base_iri,
                names=tuple(names),
                listings=papers.listings,
                counts=counts,
                jobs=job_states,
                keys={key: index for index, key in enumerate(papers.keys)},
                arxiv=papers.by_arxiv,
                triples=triples,
                graphs=tuple(whole),
                graph_limit=graph_limit,
            )
            for name, writer in zip(names, writers, strict=True):
                if name in APPENDERS:  # (what an append splices)
                    APPENDERS[name].record(build_state, writer)
            save_state(staging / STATE, build_state, raw, pickle.dumps(resolver, protocol=-1))
        elif (out / STATE).is_dir():
            shutil.rmtree(out / STATE)  # it describes outputs this build replaces
        replace_outputs(staging, out, [*written, *([staging / STATE] if keep_state else [])])
    return BuildSummary.of(
        papers.listings,
        counts,
        entities,
        triples=triples,
        seconds=clock.seconds,
        cpu_seconds=clock.cpu,
        worker_cpu_seconds=clock.worker_cpu,
        written=sorted(out / p.relative_to(staging) for p in written),
        notes=notes,
    )
