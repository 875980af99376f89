"""The streaming build: papers flow through extraction in bounded batches, the resolver keeps
compact per-name state, and the exports are written paper by paper.

Pass 1 extracts every paper (any engine) into a spill file on disk while the resolver sees
its names; the resolver then fixes the canonical entities; pass 2 reads the spill back and
writes each resolved paper to every writer. Memory does not grow with the corpus beyond the
per-name state (see ``StreamingResolver``) and the ingest's duplicate keys."""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.engine import EngineOptions, extract_stream
from kg.engine.batching import batched
from kg.errors import KgError
from kg.export.rdf import DEFAULT_BASE
from kg.model import Extraction, Paper
from kg.stream.ingest import PaperStream
from kg.stream.resolver import StreamingResolver
from kg.stream.writers import STREAM_WRITERS, NTriplesWriter

SPILL_BATCH = 256
Progress = Callable[[Iterable[Paper], int], Iterable[Paper]]


def _spilled(path: Path) -> Iterator[Extraction]:
    with path.open("rb") as fh:
        while True:
            try:
                batch: list[Extraction] = pickle.load(fh)
            except EOFError:
                return
            yield from batch


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
    papers = PaperStream(paths, fmt)
    resolver = StreamingResolver()
    counts: Counter[str] = Counter()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kg-staging-", dir=out) as tmp:
        staging = Path(tmp)
        spill = staging / "extractions.pickle"
        stream: Iterable[Paper] = progress(papers, len(papers)) if progress else papers
        with spill.open("wb") as fh:
            for batch in batched(extract_stream(stream, options), SPILL_BATCH):
                for x in batch:
                    resolver.add(x)
                pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
        entities = sorted(resolver.finish().values(), key=lambda e: e.id)
        writers = [STREAM_WRITERS[name](staging, base_iri) for name in names]
        for writer in writers:
            writer.begin(entities)
        for x in _spilled(spill):
            resolver.apply(x)
            touched = resolver.entities_of(x)
            for writer in writers:
                writer.write(x, touched)
            counts["papers"] += 1
            counts["proposed"] += sum(m.proposed for m in x.mentions)
            counts["results"] += len(x.results)
            counts["quantities"] += len(x.quantities)
            counts["code_links"] += len(x.code_urls)
            counts["project_links"] += len(x.project_urls)
        spill.unlink()
        written = [path for writer in writers for path in writer.finish()]
        triples = next((w.triples for w in writers if isinstance(w, NTriplesWriter)), None)
        if store and triples is not None:
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
        "written": sorted(out / p.relative_to(staging) for p in written),
    }
