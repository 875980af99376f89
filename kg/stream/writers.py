"""Streaming exporters: papers.jsonl, graph.nt and neo4j/ written batch by batch.

Each writer gets the entity table (``begin``), then each batch of resolved papers:
``render`` (pure but for the files it spools, run on worker processes) turns it into a
compact part, ``emit`` takes the parts in paper order in the main process; ``tasks`` are the
independent pieces of the last step (run on the workers too) and ``finish`` assembles their
results. Memory stays bounded: each batch's N-Triples are sorted into an on-disk run and the
runs merged (the file equals the in-memory export byte for byte); Neo4j rows are spooled per
table to disk while their column types are inferred, then written as CSV, a table per task.
"""

from __future__ import annotations

import heapq
import json
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Protocol

from kg.export.flatten import Kind, _merge, property_types
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
from kg.export.rdf import comparison_lite, entity_id, entity_lite, nt_line, paper_lite
from kg.graph import build_graph
from kg.model import ENTITY_TYPES, Entity, Extraction, ResolvedCorpus

ENTITY_CHUNK = 10_000
MERGE_FANIN = 256  # sorted runs merged at once (each holds a file open)


EntityIds = dict[tuple[str, str], str]
"""(type, canonical name) -> entity id of the entities one paper points to."""
Item = tuple[Extraction, EntityIds]
Task = tuple[Callable[..., Any], tuple[Any, ...], int]
"""A piece of a writer's last step: function, arguments, size (the biggest start first)."""


class StreamWriter(Protocol):
    """``render`` turns a batch of resolved papers into a part (run in worker processes, it may
    spool files under the output folder); ``emit`` takes the parts, in paper order, in the main
    process; ``tasks`` then ``finish`` write the files."""

    def begin(self, entities: list[Entity]) -> None: ...
    def emit(self, part: Any) -> None: ...
    def tasks(self) -> list[Task]: ...
    def finish(self, results: list[Any]) -> list[Path]: ...


class JsonlWriter:
    """``papers.jsonl``, one line per paper as it comes."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.path = out / "papers.jsonl"
        self.fh = self.path.open("w", encoding="utf-8", newline="\n")

    @staticmethod
    def render(items: list[Item], base: str, out: Path, job: int) -> str:
        return "".join(json.dumps(paper_record(x), ensure_ascii=False) + "\n" for x, _ in items)

    def begin(self, entities: list[Entity]) -> None:
        pass

    def emit(self, part: str) -> None:
        self.fh.write(part)

    def tasks(self) -> list[Task]:
        self.fh.close()
        return []

    def finish(self, results: list[Any]) -> list[Path]:
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


def merge_runs_into(runs: list[Path], path: Path) -> int:
    """``merge_sorted_runs`` into the file ``path``, a level at a time if there are many."""
    level = 0
    while len(runs) > MERGE_FANIN:
        merged = []
        for start in range(0, len(runs), MERGE_FANIN):
            group = runs[start : start + MERGE_FANIN]
            target = path.with_name(f"{path.name}.{level}.{start // MERGE_FANIN}")
            with target.open("w", encoding="utf-8", newline="\n") as fh:
                merge_sorted_runs(group, fh)
            merged.append(target)
        runs, level = merged, level + 1
    with path.open("w", encoding="utf-8", newline="\n") as out:
        return merge_sorted_runs(runs, out)


def _write_run(path: Path, lines: set[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(sorted(lines))


NtPart = tuple[Path, list[tuple[str, str, str]]]
"""A batch's sorted run and its comparison claims (winner id, baseline id, paper id)."""


class NTriplesWriter:
    """``graph.nt``: sorted, unique lines, like the in-memory export, via sorted runs."""

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
        lines: set[str] = set()  # repeats across batches go when the runs are merged
        claims = []
        for x, ids in items:
            lines.update(map(nt_line, paper_lite(x, base, ids)))
            for winner, baseline in x.comparisons:
                a, b = entity_id("Method", winner, ids), entity_id("Method", baseline, ids)
                if a != b:
                    claims.append((a, b, x.paper.id))
        run = out / ".nt-runs" / f"batch{job:08d}.nt"
        _write_run(run, lines)
        return run, claims

    def begin(self, entities: list[Entity]) -> None:
        for start in range(0, len(entities), ENTITY_CHUNK):
            chunk = entities[start : start + ENTITY_CHUNK]
            run = self.spool / f"entities{start // ENTITY_CHUNK:08d}.nt"
            _write_run(run, {nt_line(t) for e in chunk for t in entity_lite(e, self.base)})
            self.runs.append(run)

    def emit(self, part: NtPart) -> None:
        run, claims = part
        self.runs.append(run)
        for a, b, paper_id in claims:
            self.claims[(a, b)].add(paper_id)

    def tasks(self) -> list[Task]:
        claims = self.spool / "claims.nt"
        _write_run(
            claims,
            {
                nt_line(t)
                for (a, b), papers in self.claims.items()
                for t in comparison_lite(a, b, papers, self.base)
            },
        )
        self.runs.append(claims)
        size = sum(run.stat().st_size for run in self.runs)
        return [(merge_runs_into, (self.runs, self.path), size)]

    def finish(self, results: list[Any]) -> list[Path]:
        (self.triples,) = results
        shutil.rmtree(self.spool)
        return [self.path]


Kinds = dict[str, Kind]
Neo4jPart = tuple[
    dict[str, str],
    dict[str, Kinds],
    list[tuple[str, str, str, Kinds]],
    dict[tuple[str, str, str], str],
    dict[tuple[str, str, str], Kinds],
    list[tuple[str, str, list[str]]],
]
"""A batch's node rows per label (JSON lines) and their property kinds; the rows of nodes that
papers share (label, id, JSON line, kinds); relationship rows per table and their kinds; and
``outperforms`` edges (start, end, papers), which are merged across papers."""
NODE_SKIP = ("type", ID)
REL_SKIP = ("type",)


def _row(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


def merge_kinds(into: Kinds, kinds: Mapping[str, Kind]) -> None:
    """Fold the property kinds of later rows into ``into`` (what ``property_types`` does row
    by row, so the result is the same as one pass over all the rows)."""
    for key, kind in kinds.items():
        into[key] = _merge(into[key], kind) if key in into else kind


class _Spool:
    """Rows of one Neo4j table, spooled to a JSON Lines file, and their property kinds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: IO[str] = path.open("w", encoding="utf-8")
        self.kinds: Kinds = {}

    def add(self, row: list[Any], skip: tuple[str, ...]) -> None:
        self.fh.write(_row(row))
        merge_kinds(self.kinds, property_types([row[-1]], skip=skip))

    def add_text(self, text: str, kinds: Mapping[str, Kind]) -> None:
        self.fh.write(text)
        merge_kinds(self.kinds, kinds)


def _spooled(path: Path) -> Iterator[list[Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def write_node_table(spool: Path, csv: Path, label: str, props: Kinds) -> Path:
    header = [f"{ID}:ID({label})", ":LABEL", *_typed(props)]
    body = (
        [node, label, *(cell(data.get(k), t) for k, t in props.items())]
        for node, data in _spooled(spool)
    )
    return _write_csv(csv, header, body)


def write_rel_table(spool: Path, csv: Path, rel: RelTable) -> Path:
    header = [f":START_ID({rel.start})", f":END_ID({rel.end})", ":TYPE", *_typed(rel.props)]
    body = (
        [u, v, rel.type, *(cell(data.get(k), t) for k, t in rel.props.items())]
        for u, v, data in _spooled(spool)
    )
    return _write_csv(csv, header, body)


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
        self.node_tables: list[NodeTable] = []
        self.rel_tables: list[RelTable] = []

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
                self._table(self.nodes, data["type"]).add([node, data], NODE_SKIP)

    @staticmethod
    def render(items: list[Item], base: str, out: Path, job: int) -> Neo4jPart:
        nodes: dict[str, list[str]] = defaultdict(list)
        shared: list[tuple[str, str, str, Kinds]] = []
        rels: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        outperforms: list[tuple[str, str, list[str]]] = []
        node_data: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rel_data: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for x, ids in items:
            entities = {i: Entity(i, kind, name) for (kind, name), i in ids.items()}  # type: ignore[arg-type]
            graph = build_graph(ResolvedCorpus([x], entities))
            types = dict(graph.nodes(data="type"))
            for node, data in graph.nodes(data=True):
                label = data["type"]
                if label in ENTITY_TYPES:
                    continue
                if label in ("Repository", "ProjectPage"):
                    kinds = property_types([data], skip=NODE_SKIP)
                    shared.append((label, node, _row([node, data]), kinds))
                else:
                    nodes[label].append(_row([node, data]))
                    node_data[label].append(data)
            for u, v, key, data in graph.edges(keys=True, data=True):
                if key == "outperforms":
                    outperforms.append((u, v, data["papers"]))
                    continue
                table = (key, types[u], types[v])
                rels[table].append(_row([u, v, data]))
                rel_data[table].append(data)
        return (
            {label: "".join(lines) for label, lines in nodes.items()},
            {label: property_types(data, skip=NODE_SKIP) for label, data in node_data.items()},
            shared,
            {table: "".join(lines) for table, lines in rels.items()},
            {table: property_types(data, skip=REL_SKIP) for table, data in rel_data.items()},
            outperforms,
        )

    def emit(self, part: Neo4jPart) -> None:
        nodes, node_kinds, shared, rels, rel_kinds, outperforms = part
        for label, text in nodes.items():
            self._table(self.nodes, label).add_text(text, node_kinds[label])
        for label, node, line, kinds in shared:
            if node not in self.shared:
                self.shared.add(node)
                self._table(self.nodes, label).add_text(line, kinds)
        for table, text in rels.items():
            self._table(self.rels, table).add_text(text, rel_kinds[table])
        for u, v, papers in outperforms:
            self.outperforms[(u, v)].update(papers)

    def tasks(self) -> list[Task]:
        for (a, b), papers in sorted(self.outperforms.items()):
            data = {"type": "outperforms", "papers": sorted(papers), "support": len(papers)}
            self._table(self.rels, ("outperforms", "Method", "Method")).add([a, b, data], REL_SKIP)
        tasks: list[Task] = []
        for label, spool in sorted(self.nodes.items()):
            spool.fh.close()
            self.node_tables.append(NodeTable(label, spool.kinds))
            csv = self.folder / f"nodes_{label}.csv"
            args = (spool.path, csv, label, spool.kinds)
            tasks.append((write_node_table, args, spool.path.stat().st_size))
        for key, spool in sorted(self.rels.items()):
            spool.fh.close()
            rel = RelTable(*key, spool.kinds)
            self.rel_tables.append(rel)
            csv = self.folder / f"rels_{rel.name}.csv"
            tasks.append((write_rel_table, (spool.path, csv, rel), spool.path.stat().st_size))
        return tasks

    def finish(self, results: list[Any]) -> list[Path]:
        written: list[Path] = list(results)
        scripts = {
            "constraints.cypher": "\n".join(constraints(self.node_tables)) + "\n",
            "import.cypher": import_cypher(self.node_tables, self.rel_tables),
            "import.sh": admin_script(self.node_tables, self.rel_tables),
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
