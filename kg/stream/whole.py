"""What a build writes beyond the streamed parts: the whole-graph exports (from the kept
papers, or again from the spill after an append) and the streamed writers an append cannot
splice, written again from the spill."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from kg.export import GRAPH_WRITERS, WRITERS, ExportContext
from kg.export.registry import EntityIds, Item
from kg.graph.build import GraphBuilder
from kg.model import Entity, Extraction, ResolvedCorpus
from kg.resolve.entities import StreamingResolver
from kg.stream.appenders import APPENDERS
from kg.stream.spill import unspill_batch
from kg.stream.state import BuildState, Location


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


class SpilledCorpus:
    """Every spilled paper of a build, in build order, read again from the spill and
    resolved one batch at a time whenever it is iterated: the whole-graph writers walk the
    corpus without holding it (a build keeps no extraction in memory)."""

    def __init__(
        self, spill: Path, locations: list[Location], resolver: StreamingResolver, papers: int
    ) -> None:
        self.spill, self.locations, self.resolver, self.papers = spill, locations, resolver, papers

    def __iter__(self) -> Iterator[Extraction]:
        for location in self.locations:
            batch = unspill_batch(self.spill, location)
            resolved_items(self.resolver, batch)
            yield from batch

    def __len__(self) -> int:
        return self.papers


def write_whole_graph(
    names: list[str],
    corpus: SpilledCorpus,
    entities: list[Entity],
    listings: int,
    base: str,
    staging: Path,
    limit: int,
) -> tuple[list[Path], list[str]]:
    """Run the whole-graph writers ``names`` over the spilled ``corpus``: the graph is built
    paper by paper, and above ``limit`` papers it is not built at all; returns what was
    written and a note of what was not."""
    if not names:
        return [], []
    if len(corpus) > limit:
        note = (
            f"not written: {', '.join(names)} (whole-graph formats, held in memory up to "
            f"{limit:,} papers; this corpus has {len(corpus):,}: raise --graph-limit if memory "
            "allows, or leave them out with --only)"
        )
        return [], [note]
    builder = GraphBuilder()
    builder.add_entities(entities)
    for x in corpus:
        builder.add_paper(x)
    # (the view's side panel iterates the extractions once more, batch by batch)
    extractions = cast(list[Extraction], corpus)
    resolved = ResolvedCorpus(extractions, {e.id: e for e in entities}, listings)
    context = ExportContext(resolved, builder.finish(), base)
    return [path for name in names for path in GRAPH_WRITERS[name](context, staging)], []


def rebuild_whole_graph(
    layout: BuildState,
    resolver: StreamingResolver,
    entities: list[Entity],
    spill: Path,
    staging: Path,
) -> tuple[list[Path], list[str]]:
    """The whole-graph formats of an appended build, from every spilled paper resolved by
    the new resolver (they hold the whole graph, so there is nothing to splice)."""
    papers = sum(job.papers for job in layout.jobs)
    locations = [location for job in layout.jobs for location in job.locations]
    return write_whole_graph(
        list(layout.graphs),
        SpilledCorpus(spill, locations, resolver, papers),
        entities,
        layout.listings,
        layout.base_iri,
        staging,
        layout.graph_limit,
    )


def rewrite_from_spill(
    layout: BuildState,
    resolver: StreamingResolver,
    entities: list[Entity],
    spill: Path,
    staging: Path,
) -> list[Path]:
    """The streamed writers an append cannot splice, run again over every spilled paper
    resolved by the new resolver, one job at a time (memory stays bounded)."""
    names = [n for n in layout.names if n not in APPENDERS]  # (the others are spliced)
    writers = [WRITERS[name](staging, layout.base_iri) for name in names]
    for writer in writers:
        writer.begin(entities)
    for job in layout.jobs:
        batch = [x for location in job.locations for x in unspill_batch(spill, location)]
        items = resolved_items(resolver, batch)
        for writer in writers:
            writer.emit(writer.render(items, layout.base_iri, staging, 0))
    written = []
    for writer in writers:
        tasks = writer.tasks()
        written += writer.finish([fn(*args) for fn, args, _ in tasks])
    return written
