"""The streaming build: papers flow through extraction in bounded batches, the resolver keeps
compact per-name state, and the exports are written paper by paper.

Pass 1 extracts every paper (any engine) into a spill file on disk while the resolver sees
its names; the resolver then fixes the canonical entities; pass 2 reads the spill back and
writes each resolved paper to every writer. Memory does not grow with the corpus beyond the
per-name state (see ``StreamingResolver``) and the ingest's duplicate keys."""

from __future__ import annotations

import gzip
import multiprocessing
import pickle
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.engine import EngineOptions, extract_stream
from kg.engine.batching import batched, windowed
from kg.errors import KgError
from kg.export.rdf import DEFAULT_BASE
from kg.model import Extraction, Paper
from kg.resolve.entities import StreamingResolver
from kg.stream.ingest import PaperStream
from kg.stream.writers import STREAM_WRITERS, EntityIds, NTriplesWriter, render

SPILL_BATCH = 256
Progress = Callable[[Iterable[Paper], int], Iterable[Paper]]


def _spilled(path: Path) -> Iterator[Extraction]:
    with gzip.open(path, "rb") as fh:
        while True:
            try:
                batch: list[Extraction] = pickle.load(fh)
            except EOFError:
                return
            yield from batch


class Clock:
    """Wall-clock and CPU seconds (this process) per stage, for the summary."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.stage: str | None = None

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        outer, self.stage = self.stage, stage
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            elapsed, used = time.perf_counter() - start, time.process_time() - cpu
            self.seconds[stage] += elapsed
            self.cpu[stage] += used
            if outer is not None:
                self.seconds[outer] -= elapsed
                self.cpu[outer] -= used
            self.stage = outer

    def timed(self, items: Iterable[Paper], stage: str) -> Iterator[Paper]:
        it = iter(items)
        while True:
            with self(stage):
                item = next(it, None)
            if item is None:
                return
            yield item


def _counts(x: Extraction) -> dict[str, int]:
    return {
        "papers": 1,
        "proposed": sum(m.proposed for m in x.mentions),
        "results": len(x.results),
        "quantities": len(x.quantities),
        "code_links": len(x.code_urls),
        "project_links": len(x.project_urls),
    }


@contextmanager
def _renderer(
    names: tuple[str, ...], base: str, options: EngineOptions | None
) -> Iterator[Callable[[list[tuple[Extraction, EntityIds]]], Callable[[], list[list[Any]]]]]:
    """Render batches of resolved papers into writer parts: on a process pool with --jobs."""
    workers = (options or EngineOptions()).workers
    if workers == 1:

        def inline(items: list[tuple[Extraction, EntityIds]]) -> Callable[[], list[list[Any]]]:
            parts = render(names, base, items)
            return lambda: parts

        yield inline
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield lambda items: pool.apply_async(render, (names, base, items)).get


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
) -> dict[str, Any]:
    """Build ``paths`` into ``out`` with flat memory; returns the build summary.

    Writes ``papers.jsonl``, ``graph.nt`` (and its Oxigraph store in ``store/``) and
    ``neo4j/``; the whole-graph formats (Turtle, JSON-LD, HTML, GEXF, GraphML) are not
    written by a streaming build."""
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
    resolver = StreamingResolver()
    counts: Counter[str] = Counter()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kg-staging-", dir=out) as tmp:
        staging = Path(tmp)
        spill = staging / "extractions.pickle.gz"
        stream: Iterable[Paper] = clock.timed(papers, "parse")
        stream = progress(stream, len(papers)) if progress else stream
        with gzip.open(spill, "wb", compresslevel=1) as fh, clock("extract"):
            for batch in batched(extract_stream(stream, options), SPILL_BATCH):
                with clock("resolve"):
                    for x in batch:
                        resolver.add(x)
                with clock("spill"):
                    pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
        with clock("resolve"):
            entities = sorted(resolver.finish().values(), key=lambda e: e.id)
        with clock("export"):
            writers = [STREAM_WRITERS[name](staging, base_iri) for name in names]
            for writer in writers:
                writer.begin(entities)

        def prepared() -> Iterator[list[tuple[Extraction, EntityIds]]]:
            for batch in batched(_spilled(spill), SPILL_BATCH):
                with clock("resolve"):
                    items: list[tuple[Extraction, EntityIds]] = []
                    for x in batch:
                        resolver.apply(x)
                        touched = resolver.entities_of(x).values()
                        ids: EntityIds = {(e.type, e.name): e.id for e in touched}
                        items.append((x, ids))
                        counts.update(_counts(x))
                yield items

        with clock("export"), _renderer(tuple(names), base_iri, options) as submit:
            for rendered in windowed(
                prepared(), submit, 2 * (options or EngineOptions()).workers + 1
            ):
                for parts in rendered:
                    for writer, part in zip(writers, parts, strict=True):
                        writer.emit(part)
        spill.unlink()
        with clock("export"):
            written = [path for writer in writers for path in writer.finish()]
        triples = next((w.triples for w in writers if isinstance(w, NTriplesWriter)), None)
        if store and triples is not None:
            with clock("store"):
                _load_store(staging / "graph.nt", staging / "store")
            written.append(staging / "store")
        for top in sorted({p.relative_to(staging).parts[0] for p in written}):
            target = out / top
            if target.is_dir():
                shutil.rmtree(target)
            (staging / top).replace(target)
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
        "written": sorted(out / p.relative_to(staging) for p in written),
    }
