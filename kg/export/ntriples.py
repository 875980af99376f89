"""``graph.nt`` written batch by batch (sorted runs per batch, merged), then ``graph.ttl`` and
``graph.jsonld`` derived from it: the RDF writer of every build (registered as ``rdf``)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.export.rdf import (
    comparison_lite,
    entity_id,
    entity_lite,
    nt_line,
    paper_lite,
    write_syntaxes,
)
from kg.export.registry import Item, Task, register_writer
from kg.export.runs import merge_runs_into, write_run
from kg.model import Entity

ENTITY_CHUNK = 10_000  # entities per sorted run


Claims = list[tuple[str, str, str]]
NtPart = tuple[Path, Claims]
"""A batch's sorted run and its comparison claims (winner id, baseline id, paper id)."""


def nt_lines(items: list[Item], base: str) -> tuple[set[str], Claims]:
    """The N-Triples lines of a batch of resolved papers and their comparison claims
    (repeats across batches go when the runs are merged)."""
    lines: set[str] = set()
    claims = []
    for x, ids in items:
        lines.update(map(nt_line, paper_lite(x, base, ids)))
        for winner, baseline in x.comparisons:
            a, b = entity_id("Method", winner, ids), entity_id("Method", baseline, ids)
            if a != b:
                claims.append((a, b, x.paper.id))
    return lines, claims


def claim_lines(claims: Mapping[tuple[str, str], set[str]], base: str) -> set[str]:
    """The N-Triples lines of the comparison claims (winner, baseline) -> papers."""
    return {
        nt_line(t) for (a, b), papers in claims.items() for t in comparison_lite(a, b, papers, base)
    }


@register_writer("rdf")
class NTriplesWriter:
    """``graph.nt``: sorted, unique lines, like the in-memory export, via sorted runs; then
    ``graph.ttl`` and ``graph.jsonld`` from it."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.path = out / "graph.nt"
        self.base = base_iri
        self.spool = out / ".nt-runs"
        self.spool.mkdir()
        self.runs: list[Path] = []
        self.claims: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.triples = 0

    @staticmethod
    def render(items: list[Item], base: str, out: Path, job: int) -> NtPart:
        lines, claims = nt_lines(items, base)
        run = out / ".nt-runs" / f"batch{job:08d}.nt"
        write_run(run, lines)
        return run, claims

    def begin(self, entities: list[Entity]) -> None:
        for start in range(0, len(entities), ENTITY_CHUNK):
            chunk = entities[start : start + ENTITY_CHUNK]
            run = self.spool / f"entities{start // ENTITY_CHUNK:08d}.nt"
            write_run(run, {nt_line(t) for e in chunk for t in entity_lite(e, self.base)})
            self.runs.append(run)

    def emit(self, part: NtPart) -> None:
        run, claims = part
        self.runs.append(run)
        for a, b, paper_id in claims:
            self.claims[(a, b)].add(paper_id)

    def tasks(self) -> list[Task]:
        claims = self.spool / "claims.nt"
        write_run(claims, claim_lines(self.claims, self.base))
        self.runs.append(claims)
        size = sum(run.stat().st_size for run in self.runs)
        return [(merge_runs_into, (self.runs, self.path), size)]

    def finish(self, results: list[Any]) -> list[Path]:
        (self.triples,) = results
        shutil.rmtree(self.spool)
        ttl, jsonld = write_syntaxes(self.path, self.path.parent)
        return [ttl, self.path, jsonld]
