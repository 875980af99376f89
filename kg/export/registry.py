"""The writers every build feeds, registered by format name, and the in-process driver.

Two kinds of writer:

- **streamed** (``register_writer``): a class that gets the entity table (``begin``), then
  each batch of resolved papers: ``render`` (pure but for files it spools; the streaming build
  runs it on worker processes) turns a batch into a part, ``emit`` takes the parts in paper
  order, ``tasks`` are the independent pieces of the last step and ``finish`` assembles their
  results. Memory stays bounded whatever the corpus size.
- **whole-graph** (``register_graph_writer``): a function of the finished corpus and its
  networkx graph (the HTML view, GEXF, GraphML), for graphs that fit in memory.

``kg.stream.stream_build`` drives both kinds over a corpus of any size; ``write_exports``
drives them over a corpus already in memory (``KnowledgeGraph.export``). Adding a format is
one module with a registered writer.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import networkx as nx

from kg.export.staging import staging as staging_folder
from kg.model import Entity, Extraction, ResolvedCorpus
from kg.resolve.entities import referenced_names

EntityIds = dict[tuple[str, str], str]
"""(type, canonical name) -> entity id of the entities one paper points to."""
Item = tuple[Extraction, EntityIds]
Task = tuple[Callable[..., Any], tuple[Any, ...], int]
"""A piece of a writer's last step: function, arguments, size (the biggest start first)."""


@dataclass(frozen=True)
class ExportContext:
    corpus: ResolvedCorpus
    graph: nx.MultiDiGraph
    base_iri: str


class StreamWriter(Protocol):
    """A streamed writer (see the module docstring); ``render`` is a static method."""

    def __init__(self, out: Path, base_iri: str) -> None: ...
    @staticmethod
    def render(items: list[Item], base: str, out: Path, job: int) -> Any: ...
    def begin(self, entities: list[Entity]) -> None: ...
    def emit(self, part: Any) -> None: ...
    def tasks(self) -> list[Task]: ...
    def finish(self, results: list[Any]) -> list[Path]: ...


GraphWriter = Callable[[ExportContext, Path], list[Path]]
"""A whole-graph writer gets the context and the staging folder and returns what it wrote."""

WRITERS: dict[str, type[StreamWriter]] = {}
GRAPH_WRITERS: dict[str, GraphWriter] = {}
W = TypeVar("W")


def register_writer(name: str) -> Callable[[W], W]:
    def decorate(cls: W) -> W:
        WRITERS[name] = cls  # type: ignore[assignment]
        return cls

    return decorate


def register_graph_writer(name: str) -> Callable[[GraphWriter], GraphWriter]:
    def decorate(func: GraphWriter) -> GraphWriter:
        GRAPH_WRITERS[name] = func
        return func

    return decorate


def formats() -> list[str]:
    """Every export format, streamed ones first, in registration order."""
    return [*WRITERS, *GRAPH_WRITERS]


def check_formats(names: Iterable[str] | None) -> list[str]:
    """The formats asked for (all when None), or a ValueError naming the unknown ones."""
    chosen = list(names) if names is not None else formats()
    unknown = [n for n in chosen if n not in WRITERS and n not in GRAPH_WRITERS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}")
    return chosen


def corpus_items(corpus: ResolvedCorpus) -> list[Item]:
    """Each resolved paper with the ids of the entities it points to (what a streaming
    build's workers give the writers)."""
    ids: EntityIds = {(e.type, e.name): e.id for e in corpus.entities.values()}
    items: list[Item] = []
    for x in corpus.extractions:
        mine = sorted((ids[name], name) for name in referenced_names(x) if name in ids)
        items.append((x, {(kind, name): i for i, (kind, name) in mine}))
    return items


def run_streamed(
    name: str, items: list[Item], entities: list[Entity], base: str, out: Path
) -> list[Path]:
    """One streamed writer over ``items`` as a single batch, in this process."""
    writer = WRITERS[name](out, base)
    writer.begin(entities)
    writer.emit(writer.render(items, base, out, 0))
    return writer.finish([fn(*args) for fn, args, _ in writer.tasks()])


def replace_outputs(staging: Path, out: Path, written: Iterable[Path]) -> None:
    """Move the top-level files and folders of ``written`` from ``staging`` into ``out``."""
    for top in sorted({p.relative_to(staging).parts[0] for p in written}):
        target = out / top
        if target.is_dir():
            shutil.rmtree(target)
        (staging / top).replace(target)


def write_exports(
    context: ExportContext, out: Path, names: Iterable[str] | None = None
) -> list[Path]:
    """Write the chosen formats of a corpus in memory into ``out``: everything is written to
    a staging folder first, so a failure leaves ``out`` as it was. Returns the final paths,
    sorted."""
    chosen = check_formats(names)
    corpus = context.corpus
    items = corpus_items(corpus)
    entities = sorted(corpus.entities.values(), key=lambda e: e.id)
    with staging_folder(out) as staging:
        written: list[Path] = []
        for name in chosen:
            if name in WRITERS:
                written += run_streamed(name, items, entities, context.base_iri, staging)
            else:
                written += GRAPH_WRITERS[name](context, staging)
        replace_outputs(staging, out, written)
        return sorted(out / p.relative_to(staging) for p in written)
