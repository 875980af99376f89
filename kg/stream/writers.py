"""Streaming exporters: papers.jsonl, graph.nt and neo4j/ written paper by paper.

Each writer gets the entity table (``begin``), then each resolved paper: ``render`` (pure,
run on worker processes) turns it into parts, ``emit`` writes them in paper order; then
``finish``. Memory stays bounded: N-Triples are sorted in on-disk runs and merged (the file
equals the in-memory export byte for byte); Neo4j rows are spooled per table to disk while
their column types are inferred, then written as CSV.
"""

from __future__ import annotations

import heapq
import json
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Protocol

from rdflib.plugins.serializers.nt import _nt_row

from kg.export.flatten import property_types
from kg.export.jsonl import paper_record
from kg.export.neo4j import (
    ID,
    NodeTable,
    RelTable,
    _typed,
    _write_csv,
    admin_script,
    cell,
    constraints,
    import_cypher,
)
from kg.export.rdf import comparison_triples, entity_id, entity_triples, paper_triples
from kg.graph import build_graph
from kg.model import ENTITY_TYPES, Entity, Extraction, ResolvedCorpus

RUN_LINES = 500_000
ENTITY_CHUNK = 10_000


EntityIds = dict[tuple[str, str], str]
"""(type, canonical name) -> entity id of the entities one paper points to."""


class StreamWriter(Protocol):
    """``render`` turns one resolved paper into output parts (a pure function, run in worker
    processes); ``emit`` writes them, in paper order, in the main process."""

    def begin(self, entities: list[Entity]) -> None: ...
    def emit(self, part: Any) -> None: ...
    def finish(self) -> list[Path]: ...


class JsonlWriter:
    """``papers.jsonl``, one line per paper as it comes."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.path = out / "papers.jsonl"
        self.fh = self.path.open("w", encoding="utf-8", newline="\n")

    @staticmethod
    def render(x: Extraction, ids: EntityIds, base: str) -> str:
        return json.dumps(paper_record(x), ensure_ascii=False) + "\n"

    def begin(self, entities: list[Entity]) -> None:
        pass

    def emit(self, part: str) -> None:
        self.fh.write(part)

    def finish(self) -> list[Path]:
        self.fh.close()
        return [self.path]


def merge_sorted_runs(runs: list[Path], out: IO[str]) -> int:
    """Merge sorted line files into ``out``, dropping repeats; returns the lines written."""
    with ExitStack() as stack:
        files = [stack.enter_context(run.open(encoding="utf-8")) for run in runs]
        last, written = None, 0
        for line in heapq.merge(*files):
            if line != last:
                out.write(line)
                written += 1
                last = line
    return written


NtPart = tuple[list[str], list[tuple[str, str]], str]


class NTriplesWriter:
    """``graph.nt``: sorted, unique lines, like the in-memory export, via sorted runs."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.path = out / "graph.nt"
        self.base = base_iri
        self.spool = out / ".nt-runs"
        self.spool.mkdir()
        self.runs: list[Path] = []
        self.lines: list[str] = []  # repeats are dropped when the sorted runs are merged
        self.claims: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.triples = 0

    def _add(self, triples: Iterable[Any]) -> None:
        self.lines.extend(_nt_row(t) for t in triples)
        if len(self.lines) >= RUN_LINES:
            self._flush()

    def _flush(self) -> None:
        run = self.spool / f"run{len(self.runs):05d}.nt"
        with run.open("w", encoding="utf-8") as fh:
            fh.writelines(sorted(set(self.lines)))
        self.runs.append(run)
        self.lines.clear()

    @staticmethod
    def render(x: Extraction, ids: EntityIds, base: str) -> NtPart:
        lines = [_nt_row(t) for t in paper_triples(x, base, ids)]
        pairs = [
            (entity_id("Method", winner, ids), entity_id("Method", baseline, ids))
            for winner, baseline in x.comparisons
        ]
        return lines, [(a, b) for a, b in pairs if a != b], x.paper.id

    def begin(self, entities: list[Entity]) -> None:
        for e in entities:
            self._add(entity_triples(e, self.base))

    def emit(self, part: NtPart) -> None:
        lines, claims, paper_id = part
        self.lines.extend(lines)
        if len(self.lines) >= RUN_LINES:
            self._flush()
        for pair in claims:
            self.claims[pair].add(paper_id)

    def finish(self) -> list[Path]:
        for (a, b), papers in sorted(self.claims.items()):
            self._add(comparison_triples(a, b, papers, self.base))
        self._flush()
        with self.path.open("w", encoding="utf-8", newline="\n") as out:
            self.triples = merge_sorted_runs(self.runs, out)
        shutil.rmtree(self.spool)
        return [self.path]


Neo4jPart = tuple[
    list[tuple[str, str, str]],
    list[tuple[tuple[str, str, str], str, str, Any]],
]
"""Node rows (label, id, JSON line) and relationship rows (table, start, end, JSON line;
for ``outperforms``, the edge data: it is merged across papers)."""


def _row(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


class _Spool:
    """Rows of one Neo4j table, spooled to a JSON Lines file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: IO[str] = path.open("w", encoding="utf-8")

    def add(self, row: list[Any]) -> None:
        self.fh.write(_row(row))

    def add_line(self, line: str) -> None:
        self.fh.write(line)

    def rows(self) -> Iterator[list[Any]]:
        self.fh.close()
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


class Neo4jWriter:
    """``neo4j/``: the same CSVs and scripts as the in-memory export, table by table."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.folder = out / "neo4j"
        self.folder.mkdir()
        self.spool = out / ".neo4j-rows"
        self.spool.mkdir()
        self.nodes: dict[str, _Spool] = {}
        self.rels: dict[tuple[str, str, str], _Spool] = {}
        self.shared: set[str] = set()
        self.outperforms: dict[tuple[str, str], set[str]] = defaultdict(set)

    def _table(self, tables: dict[Any, _Spool], key: Any) -> _Spool:
        if key not in tables:
            name = "_".join(key) if isinstance(key, tuple) else key
            tables[key] = _Spool(
                self.spool / f"{'rel' if isinstance(key, tuple) else 'node'}_{name}"
            )
        return tables[key]

    def begin(self, entities: list[Entity]) -> None:
        for start in range(0, len(entities), ENTITY_CHUNK):
            chunk = {e.id: e for e in entities[start : start + ENTITY_CHUNK]}
            for node, data in build_graph(ResolvedCorpus([], chunk)).nodes(data=True):
                self._table(self.nodes, data["type"]).add([node, data])

    @staticmethod
    def render(x: Extraction, ids: EntityIds, base: str) -> Neo4jPart:
        entities = {i: Entity(i, kind, name) for (kind, name), i in ids.items()}  # type: ignore[arg-type]
        graph = build_graph(ResolvedCorpus([x], entities))
        types = dict(graph.nodes(data="type"))
        nodes = [
            (data["type"], node, _row([node, data]))
            for node, data in graph.nodes(data=True)
            if data["type"] not in ENTITY_TYPES
        ]
        rels = [
            ((key, types[u], types[v]), u, v, data if key == "outperforms" else _row([u, v, data]))
            for u, v, key, data in graph.edges(keys=True, data=True)
        ]
        return nodes, rels

    def emit(self, part: Neo4jPart) -> None:
        nodes, rels = part
        for label, node, line in nodes:
            if node in self.shared:
                continue
            if label in ("Repository", "ProjectPage"):
                self.shared.add(node)
            self._table(self.nodes, label).add_line(line)
        for key, u, v, row in rels:
            if key[0] == "outperforms":
                self.outperforms[(u, v)].update(row["papers"])
            else:
                self._table(self.rels, key).add_line(row)

    def finish(self) -> list[Path]:
        for (a, b), papers in sorted(self.outperforms.items()):
            data = {"type": "outperforms", "papers": sorted(papers), "support": len(papers)}
            self._table(self.rels, ("outperforms", "Method", "Method")).add([a, b, data])
        written, node_tables, rel_tables = [], [], []
        for label, spool in sorted(self.nodes.items()):
            props = property_types((d for _, d in spool.rows()), skip=("type", ID))
            node_tables.append(NodeTable(label, props))
            header = [f"{ID}:ID({label})", ":LABEL", *_typed(props)]
            body = (
                [node, label, *(cell(data.get(k), t) for k, t in props.items())]
                for node, data in spool.rows()
            )
            written.append(_write_csv(self.folder / f"nodes_{label}.csv", header, body))
        for key, spool in sorted(self.rels.items()):
            props = property_types((d for _, _, d in spool.rows()), skip=("type",))
            rel = RelTable(*key, props)
            rel_tables.append(rel)
            header = [f":START_ID({rel.start})", f":END_ID({rel.end})", ":TYPE", *_typed(props)]
            body = (
                [u, v, rel.type, *(cell(data.get(k), t) for k, t in props.items())]
                for u, v, data in spool.rows()
            )
            written.append(_write_csv(self.folder / f"rels_{rel.name}.csv", header, body))
        scripts = {
            "constraints.cypher": "\n".join(constraints(node_tables)) + "\n",
            "import.cypher": import_cypher(node_tables, rel_tables),
            "import.sh": admin_script(node_tables, rel_tables),
        }
        for name, text in scripts.items():
            path = self.folder / name
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
        shutil.rmtree(self.spool)
        return written


Writer = type[JsonlWriter] | type[NTriplesWriter] | type[Neo4jWriter]
STREAM_WRITERS: dict[str, Writer] = {
    "jsonl": JsonlWriter,
    "rdf": NTriplesWriter,
    "neo4j": Neo4jWriter,
}


def render(
    names: tuple[str, ...], base: str, items: list[tuple[Extraction, EntityIds]]
) -> list[list[Any]]:
    """Each paper's parts for each named writer (what worker processes run)."""
    return [[STREAM_WRITERS[name].render(x, ids, base) for name in names] for x, ids in items]
