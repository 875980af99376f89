"""``neo4j/`` written table by table: rows spooled per table to disk while their column types
are inferred, then one CSV per table (the writer registered as ``neo4j``; the CSV and script
formats are in ``kg.export.neo4j``)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import IO, Any

from kg.export.flatten import Kind, merge_kind, property_types
from kg.export.neo4j import (
    ID,
    NodeTable,
    RelTable,
    admin_script,
    cell,
    constraints,
    import_cypher,
    typed,
)
from kg.export.registry import Item, Task, register_writer
from kg.graph import build_graph
from kg.graph.build import SHARED_TYPES, lineage_edges
from kg.model import ENTITY_TYPES, Entity, ResolvedCorpus

ENTITY_CHUNK = 10_000  # entities per graph built for their rows


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
LINEAGE_TABLE = ("buildsOn", "Paper", "Paper")


def _row(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


def merge_kinds(into: Kinds, kinds: Mapping[str, Kind]) -> None:
    """Fold the property kinds of later rows into ``into`` (what ``property_types`` does row
    by row, so the result is the same as one pass over all the rows)."""
    for key, kind in kinds.items():
        into[key] = merge_kind(into[key], kind) if key in into else kind


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


def write_csv_in_segments(
    path: Path, header: list[str], rows: Iterable[list[str]], bounds: list[int]
) -> list[int]:
    """Write a CSV whose rows come in consecutive segments of ``bounds`` rows (the rest form
    a last segment); returns the byte offset where each of those segments ends."""
    offsets = []
    it = iter(rows)
    with path.open("wb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for count in bounds:
            writer.writerows(islice(it, count))
            fh.flush()
            offsets.append(raw.tell())
        writer.writerows(it)
    return offsets


def node_header(label: str, props: Kinds) -> list[str]:
    return [f"{ID}:ID({label})", ":LABEL", *typed(props)]


def node_rows(rows: Iterable[list[Any]], label: str, props: Kinds) -> Iterator[list[str]]:
    for node, data in rows:
        yield [node, label, *(cell(data.get(k), t) for k, t in props.items())]


def rel_header(rel: RelTable) -> list[str]:
    return [f":START_ID({rel.start})", f":END_ID({rel.end})", ":TYPE", *typed(rel.props)]


def rel_rows(rows: Iterable[list[Any]], rel: RelTable) -> Iterator[list[str]]:
    for u, v, data in rows:
        yield [u, v, rel.type, *(cell(data.get(k), t) for k, t in rel.props.items())]


def write_node_table(
    spool: Path, csv_path: Path, label: str, props: Kinds, bounds: list[int]
) -> tuple[Path, list[int]]:
    rows = node_rows(_spooled(spool), label, props)
    return csv_path, write_csv_in_segments(csv_path, node_header(label, props), rows, bounds)


def write_rel_table(
    spool: Path, csv_path: Path, rel: RelTable, bounds: list[int]
) -> tuple[Path, list[int]]:
    rows = rel_rows(_spooled(spool), rel)
    return csv_path, write_csv_in_segments(csv_path, rel_header(rel), rows, bounds)


TableKey = str | tuple[str, str, str]
"""A Neo4j table: a node label, or (relationship type, start label, end label)."""


def table_file(key: TableKey) -> str:
    """The CSV file name of a table."""
    if isinstance(key, tuple):
        return f"rels_{RelTable(*key, {}).name}.csv"
    return f"nodes_{key}.csv"


@register_writer("neo4j")
class Neo4jWriter:
    """``neo4j/``: the same CSVs and scripts as the in-memory export, table by table.

    For a later append (``kg.stream.append``) it records, per table, where each part's rows
    end in the CSV (``segments``) and the property kinds each part brought (``part_kinds``),
    and which part first wrote each shared node (``shared``)."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.folder = out / "neo4j"
        self.folder.mkdir()
        self.spool = out / ".neo4j-rows"
        self.spool.mkdir()
        self.nodes: dict[str, _Spool] = {}
        self.rels: dict[tuple[str, str, str], _Spool] = {}
        self.shared: dict[str, int] = {}
        self.outperforms: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.node_tables: list[NodeTable] = []
        self.rel_tables: list[RelTable] = []
        self.parts = 0
        self.prefix_rows: dict[TableKey, int] = defaultdict(int)
        self.part_rows: dict[TableKey, dict[int, int]] = defaultdict(dict)
        self.part_kinds: list[dict[TableKey, Kinds]] = []
        self.segments: dict[TableKey, list[int]] = {}

    def _table(self, tables: dict[Any, _Spool], key: Any) -> _Spool:
        if key not in tables:
            name = "_".join(key) if isinstance(key, tuple) else key
            tables[key] = _Spool(
                self.spool / f"{'rel' if isinstance(key, tuple) else 'node'}_{name}"
            )
        return tables[key]

    def begin(self, entities: list[Entity]) -> None:
        for node, data in entity_nodes(entities):
            self._table(self.nodes, data["type"]).add([node, data], NODE_SKIP)
            self.prefix_rows[data["type"]] += 1

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
                if label in SHARED_TYPES:
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
            for u, v, data in lineage_edges(x, ids):  # (the earlier paper is elsewhere)
                rels[LINEAGE_TABLE].append(_row([u, v, data]))
                rel_data[LINEAGE_TABLE].append(data)
        return (
            {label: "".join(lines) for label, lines in nodes.items()},
            {label: property_types(data, skip=NODE_SKIP) for label, data in node_data.items()},
            shared,
            {table: "".join(lines) for table, lines in rels.items()},
            {table: property_types(data, skip=REL_SKIP) for table, data in rel_data.items()},
            outperforms,
        )

    def emit(self, part: Neo4jPart) -> None:
        job, kinds_of = self.parts, part_kinds(part)
        for key, text, _ in part_rows(part, lambda node: self.shared.setdefault(node, job) == job):
            tables: dict[Any, _Spool] = self.rels if isinstance(key, tuple) else self.nodes
            self._table(tables, key).add_text(text, kinds_of[key])
            self.part_rows[key][job] = self.part_rows[key].get(job, 0) + text.count("\n")
        for u, v, papers in part[5]:
            self.outperforms[(u, v)].update(papers)
        self.part_kinds.append(kinds_of)
        self.parts += 1

    def _bounds(self, key: TableKey) -> list[int]:
        rows = self.part_rows.get(key, {})
        return [self.prefix_rows.get(key, 0), *(rows.get(j, 0) for j in range(self.parts))]

    def tasks(self) -> list[Task]:
        for row in outperforms_rows(self.outperforms):
            self._table(self.rels, ("outperforms", "Method", "Method")).add(row, REL_SKIP)
        tasks: list[Task] = []
        for label, spool in sorted(self.nodes.items()):
            spool.fh.close()
            self.node_tables.append(NodeTable(label, spool.kinds))
            csv_path = self.folder / table_file(label)
            args: tuple[Any, ...] = (spool.path, csv_path, label, spool.kinds, self._bounds(label))
            tasks.append((write_node_table, args, spool.path.stat().st_size))
        for key, spool in sorted(self.rels.items()):
            spool.fh.close()
            rel = RelTable(*key, spool.kinds)
            self.rel_tables.append(rel)
            csv_path = self.folder / table_file(key)
            args = (spool.path, csv_path, rel, self._bounds(key))
            tasks.append((write_rel_table, args, spool.path.stat().st_size))
        return tasks

    def finish(self, results: list[Any]) -> list[Path]:
        keys: list[TableKey] = [*sorted(self.nodes), *sorted(self.rels)]
        written: list[Path] = []
        for key, (path, offsets) in zip(keys, results, strict=True):
            self.segments[key] = offsets
            written.append(path)
        written += write_scripts(self.folder, self.node_tables, self.rel_tables)
        shutil.rmtree(self.spool)
        return written


def entity_nodes(entities: list[Entity]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The Neo4j node rows of the entities, in chunks (their graph nodes, in id order)."""
    for start in range(0, len(entities), ENTITY_CHUNK):
        chunk = {e.id: e for e in entities[start : start + ENTITY_CHUNK]}
        yield from build_graph(ResolvedCorpus([], chunk)).nodes(data=True)


def part_kinds(part: Neo4jPart) -> dict[TableKey, Kinds]:
    """The property kinds a rendered part brings to each table (shared nodes included)."""
    _, node_kinds, shared, _, rel_kinds, _ = part
    kinds: dict[TableKey, Kinds] = {label: dict(k) for label, k in node_kinds.items()}
    for label, _, _, k in shared:
        merge_kinds(kinds.setdefault(label, {}), k)
    kinds.update({table: dict(k) for table, k in rel_kinds.items()})
    return kinds


def part_rows(
    part: Neo4jPart, first_seen: Callable[[str], bool]
) -> Iterator[tuple[TableKey, str, int]]:
    """A part's rows per table, as JSON lines in emit order: its own node rows, the shared
    nodes for which ``first_seen(node)`` holds, then relationship rows; with row counts."""
    nodes, _, shared, rels, _, _ = part
    for label, text in nodes.items():
        yield label, text, text.count("\n")
    for label, node, line, _ in shared:
        if first_seen(node):
            yield label, line, 1
    for table, text in rels.items():
        yield table, text, text.count("\n")


def outperforms_rows(outperforms: Mapping[tuple[str, str], set[str]]) -> Iterator[list[Any]]:
    for (a, b), papers in sorted(outperforms.items()):
        yield [a, b, {"type": "outperforms", "papers": sorted(papers), "support": len(papers)}]


def write_scripts(folder: Path, nodes: list[NodeTable], rels: list[RelTable]) -> list[Path]:
    """The import scripts of a set of tables."""
    scripts = {
        "constraints.cypher": "\n".join(constraints(nodes)) + "\n",
        "import.cypher": import_cypher(nodes, rels),
        "import.sh": admin_script(nodes, rels),
    }
    written = []
    for name, text in scripts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def write_tables(nodes: list[NodeTable], rels: list[RelTable], folder: Path) -> list[Path]:
    """The CSVs and scripts of tables held in memory (for example ``graph_tables`` of any
    networkx graph typed as ``kg.graph`` types it), in the same format as the writer's."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in nodes:
        path = folder / table_file(table.label)
        body = node_rows(([n, d] for n, d in table.rows), table.label, table.props)
        write_csv_in_segments(path, node_header(table.label, table.props), body, [])
        written.append(path)
    for rel in rels:
        path = folder / table_file((rel.type, rel.start, rel.end))
        write_csv_in_segments(
            path, rel_header(rel), rel_rows(([u, v, d] for u, v, d in rel.rows), rel), []
        )
        written.append(path)
    return written + write_scripts(folder, nodes, rels)
