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
import os
import pickle
import resource
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import lz4.frame

from kg.engine import EngineOptions, extract_batches
from kg.engine.batching import windowed
from kg.engine.run import fork_pool
from kg.errors import KgError
from kg.export.rdf import DEFAULT_BASE
from kg.export.staging import staging as staging_folder
from kg.model import Abbreviation, Evidence, Extraction, Mention, Paper, Result
from kg.resolve.entities import StreamingResolver
from kg.stream.ingest import PaperStream
from kg.stream.state import STATE, BuildState, JobState, Location, fingerprint, save_state
from kg.stream.writers import (
    STREAM_WRITERS,
    EntityIds,
    Item,
    JsonlWriter,
    Neo4jWriter,
    NTriplesWriter,
    Task,
)

RENDER_BATCH = 256  # papers per pass-2 job (and per sorted N-Triples run)
Progress = Callable[[Iterable[Paper], int], Iterable[Paper]]
Names = tuple[str, list[tuple[str, str]], list[tuple[str, str]], list[str | None]]
"""What ``StreamingResolver.add`` reads of an extraction: paper id, mentions (type, text),
abbreviations (short, long) and result metrics."""


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


def paper_counts(x: Extraction) -> dict[str, int]:
    return {
        "papers": 1,
        "proposed": sum(m.proposed for m in x.mentions),
        "results": len(x.results),
        "quantities": len(x.quantities),
        "code_links": len(x.code_urls),
        "project_links": len(x.project_urls),
    }


def _names(x: Extraction) -> Names:
    return (
        x.paper.id,
        [(m.type, m.text) for m in x.mentions],
        [(a.short, a.long) for a in x.abbreviations],
        [r.metric for r in x.results],
    )


_NOWHERE = Evidence("title", 0, 0, "")


def _skeleton(names: Names) -> Extraction:
    """An extraction holding only ``names`` (enough for ``StreamingResolver.add``)."""
    pid, mentions, abbreviations, metrics = names
    return Extraction(
        Paper(pid, "", ""),
        mentions=[Mention(kind, text, _NOWHERE) for kind, text in mentions],  # type: ignore[arg-type]
        results=[Result(0.0, None, _NOWHERE, metric=metric) for metric in metrics],
        abbreviations=[Abbreviation(short, long, _NOWHERE) for short, long in abbreviations],
    )


def spill_batch(folder: Path, extractions: list[Extraction]) -> tuple[Location, list[Names]]:
    """Append a batch of extractions to this process's spill file (run where the batch was
    extracted); return where it is and the names the resolver needs."""
    path = folder / f"{os.getpid()}.spill"
    # LZ4: a quarter of zlib's time at its fastest level (about 7 vs 29 µs a paper), for a
    # spill about a quarter larger (2.9 vs 3.6 times smaller than the pickle).
    blob = lz4.frame.compress(pickle.dumps(extractions, protocol=pickle.HIGHEST_PROTOCOL))
    with path.open("ab") as fh:
        offset = fh.tell()
        fh.write(blob)
    return (path.name, offset, len(blob), len(extractions)), [_names(x) for x in extractions]


def unspill_batch(folder: Path, location: Location) -> list[Extraction]:
    name, offset, length, _ = location
    with (folder / name).open("rb") as fh:
        fh.seek(offset)
        extractions: list[Extraction] = pickle.loads(lz4.frame.decompress(fh.read(length)))
    return extractions


@dataclass
class _Pass2:
    """What a pass-2 job needs: inherited by forked workers (the resolver is not pickled)."""

    resolver: StreamingResolver
    names: tuple[str, ...]
    base: str
    staging: Path
    spill: Path


_PASS2: _Pass2 | None = None


def resolved_items(resolver: StreamingResolver, extractions: Iterable[Extraction]) -> list[Item]:
    """Resolve each extraction, with the ids of the entities it points to."""
    items = []
    for x in extractions:
        resolver.apply(x)
        ids: EntityIds = {(e.type, e.name): e.id for e in resolver.entities_of(x).values()}
        items.append((x, ids))
    return items


def refs_of(items: list[Item]) -> list[str]:
    """The ids of the entities a job's papers point to."""
    return sorted({i for _, ids in items for i in ids.values()})


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
                    resolver.add(_skeleton(seen))
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
    writers = [STREAM_WRITERS[name] for name in state.names]
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
    locations: list[Location],
    refs: list[str],
    names: list[str],
    parts: list[Any],
    writers: list[Any],
) -> JobState:
    """What an append needs to know of a pass-2 job (see ``kg.stream.state``)."""
    by_name = dict(zip(names, parts, strict=True))
    neo4j = next((w for w in writers if isinstance(w, Neo4jWriter)), None)
    return JobState(
        locations=locations,
        papers=sum(location[3] for location in locations),
        refs=refs,
        claims=by_name["rdf"][1] if "rdf" in by_name else [],
        outperforms=by_name["neo4j"][5] if "neo4j" in by_name else [],
        neo4j_kinds=neo4j.part_kinds[-1] if neo4j is not None else {},
    )


def _record_layout(state: BuildState, writer: Any) -> None:
    """Where the writer put each job's bytes (what an append splices)."""
    if isinstance(writer, JsonlWriter):
        state.jsonl = writer.offsets
    elif isinstance(writer, Neo4jWriter):
        state.tables = writer.segments
        state.table_kinds = {t.label: t.props for t in writer.node_tables}
        state.table_kinds.update({(t.type, t.start, t.end): t.props for t in writer.rel_tables})
        state.shared = writer.shared


def replace_outputs(staging: Path, out: Path, written: Iterable[Path]) -> None:
    """Move the top-level files and folders of ``written`` from ``staging`` into ``out``."""
    for top in sorted({p.relative_to(staging).parts[0] for p in written}):
        target = out / top
        if target.is_dir():
            shutil.rmtree(target)
        (staging / top).replace(target)


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
    store: bool = True,
    progress: Progress | None = None,
    keep_state: bool = False,
) -> dict[str, Any]:
    """Build ``paths`` into ``out`` with flat memory; returns the build summary.

    Writes ``papers.jsonl``, ``graph.nt`` with ``graph.ttl`` and ``graph.jsonld`` (and the
    Oxigraph store in ``store/``) and ``neo4j/``; the whole-graph formats (HTML, GEXF,
    GraphML) are not written by a streaming build. ``keep_state`` also writes what
    ``kg.stream.append`` needs to add papers later (``OUT/.kg-state/``, see ``kg.stream.state``)."""
    names = list(formats) if formats else list(STREAM_WRITERS)
    unknown = [n for n in names if n not in STREAM_WRITERS]
    if unknown:
        raise KgError(
            f"--stream writes only {', '.join(STREAM_WRITERS)}; "
            f"{', '.join(unknown)} need the whole graph in memory (build without --stream)"
        )
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
                writers = [STREAM_WRITERS[name](staging, base_iri) for name in names]

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
                    job_states.append(_job_state(job_locations, refs, names, parts, writers))
                if keep_state:
                    (staging / STATE).mkdir()
                    spill.replace(staging / STATE / "spill")
                else:
                    shutil.rmtree(spill)
                tasks = [writer.tasks() for writer in writers]
                results = iter(_run_tasks(run, [t for ts in tasks for t in ts]))
                written = [
                    path
                    for writer, ts in zip(writers, tasks, strict=True)
                    for path in writer.finish([next(results) for _ in ts])
                ]
        finally:
            _PASS2 = None
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
            )
            for writer in writers:
                _record_layout(build_state, writer)
            save_state(staging / STATE, build_state, raw, pickle.dumps(resolver, protocol=-1))
        elif (out / STATE).is_dir():
            shutil.rmtree(out / STATE)  # it describes outputs this build replaces
        replace_outputs(staging, out, [*written, *([staging / STATE] if keep_state else [])])
    return {
        "listings": papers.listings,
        "papers": counts["papers"],
        "duplicates_merged": papers.listings - counts["papers"],
        "entities": dict(sorted(Counter(e.type for e in entities).items())),
        **{k: counts[k] for k in ("proposed", "results", "quantities")},
        **{k: counts[k] for k in ("code_links", "project_links")},
        "triples": triples,
        "seconds": {k: round(v, 3) for k, v in sorted(clock.seconds.items())},
        "cpu_seconds": {k: round(v, 3) for k, v in sorted(clock.cpu.items())},
        "worker_cpu_seconds": {k: round(v, 3) for k, v in sorted(clock.worker_cpu.items()) if v},
        "written": sorted(out / p.relative_to(staging) for p in written),
    }
