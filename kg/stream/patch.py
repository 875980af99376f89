"""The outputs of an append (``kg.stream.append``), each spliced from the old one:
``papers.jsonl`` and the Neo4j CSVs by job segment, ``graph.nt`` and the Oxigraph store by
the exact lines that leave and arrive."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.export.flatten import property_types
from kg.export.neo4j import NodeTable, RelTable
from kg.export.neo4j_csv import (
    NODE_SKIP,
    REL_SKIP,
    Kinds,
    Neo4jPart,
    TableKey,
    entity_nodes,
    merge_kinds,
    node_header,
    node_rows,
    outperforms_rows,
    part_rows,
    rel_header,
    rel_rows,
    table_file,
    write_csv_in_segments,
    write_scripts,
)
from kg.export.ntriples import claim_lines
from kg.export.rdf import entity_lite, nt_line, write_syntaxes
from kg.model import ENTITY_TYPES, Entity
from kg.resolve.entities import StreamingResolver
from kg.stream.splice import splice_segments, splice_sorted
from kg.stream.state import AppendRefused, BuildState, Location


def patch_jsonl(
    out: Path,
    staging: Path,
    state: BuildState,
    parts: dict[int, str],
    new_jobs: list[tuple[int, list[Location]]],
    layout: BuildState,
) -> Path:
    """papers.jsonl: the re-rendered jobs' lines replaced, the new jobs' appended."""
    target = staging / "papers.jsonl"
    replaced = {j: part.encode("utf-8") for j, part in parts.items() if j < len(state.jobs)}
    appended = [parts.get(j, "").encode("utf-8") for j, _ in new_jobs]
    layout.jsonl = splice_segments(out / "papers.jsonl", state.jsonl, replaced, appended, target)
    return target


def _aggregate(claims: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, b, paper in claims:
        out[(a, b)].add(paper)
    return out


def _entity_lines(entities: Iterable[Entity], base: str) -> set[str]:
    return {nt_line(t) for e in entities for t in entity_lite(e, base)}


def patch_nt(
    out: Path,
    staging: Path,
    state: BuildState,
    parts: dict[int, tuple[set[str], Any, set[str] | None]],
    entities: list[Entity],
    old: StreamingResolver,
    layout: BuildState,
    store: bool,
) -> list[Path]:
    """graph.nt (and the store): remove the lines that left, insert the new ones (``parts``:
    job -> its lines now, its claims, its lines before when it had some)."""
    base = state.base_iri
    remove: set[str] = set()
    add: set[str] = set()
    for lines, _, earlier in parts.values():
        add |= lines
        remove |= earlier or set()
    before = {e.id: e for e in old.entity_of.values()}
    after = {e.id: e for e in entities}
    changed = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
    remove |= _entity_lines((before[i] for i in changed if i in before), base)
    add |= _entity_lines((after[i] for i in changed if i in after), base)
    remove |= claim_lines(_aggregate(c for job in state.jobs for c in job.claims), base)
    add |= claim_lines(_aggregate(c for job in layout.jobs for c in job.claims), base)
    target = staging / "graph.nt"
    done = splice_sorted(out / "graph.nt", remove - add, add - remove, target)
    if done.missing:
        raise AppendRefused(f"{out / 'graph.nt'}: lacks {len(done.missing)} lines it should have")
    layout.triples = (state.triples or 0) - done.removed + done.added
    written = [target, *write_syntaxes(target, staging)]
    if store and (out / "store").is_dir():
        written.append(_update_store(out / "store", staging / "store", remove - add, add - remove))
    return written


def _update_store(old: Path, target: Path, remove: set[str], add: set[str]) -> Path:
    """A copy of the on-disk Oxigraph store (hard links: a RocksDB checkpoint) with the
    lines removed and added."""
    from pyoxigraph import RdfFormat, Store, parse

    try:
        source = Store(str(old))
    except OSError as err:
        raise AppendRefused(f"{old}: cannot open the Oxigraph store (in use?): {err}") from err
    source.backup(str(target))
    del source
    store = Store(str(target))
    if remove:
        for quad in parse("".join(sorted(remove)), format=RdfFormat.N_TRIPLES):
            store.remove(quad)
    if add:
        store.bulk_extend(parse("".join(sorted(add)), format=RdfFormat.N_TRIPLES))
    store.flush()
    del store
    return target


def _job_rows(
    part: Neo4jPart, job: int, shared: dict[str, int], new: bool
) -> dict[TableKey, list[Any]]:
    """A rendered part's rows per table, as the full build would emit them."""
    rows: dict[TableKey, list[Any]] = defaultdict(list)

    def first(node: str) -> bool:
        return shared.setdefault(node, job) == job if new else shared.get(node) == job

    for key, text, _ in part_rows(part, first):
        rows[key].extend(json.loads(line) for line in text.splitlines())
    return rows


def patch_neo4j(
    out: Path,
    staging: Path,
    state: BuildState,
    parts: dict[int, Neo4jPart],
    entities: list[Entity],
    layout: BuildState,
) -> list[Path]:
    """neo4j/: entity and outperforms tables written anew, the others spliced by job."""
    folder = staging / "neo4j"
    folder.mkdir()
    old_jobs = len(state.jobs)
    rows: dict[int, dict[TableKey, list[Any]]] = {}
    for number in sorted(parts):
        rows[number] = _job_rows(parts[number], number, layout.shared, new=number >= old_jobs)
    kinds: dict[TableKey, Kinds] = {}
    for job in layout.jobs:
        for key, k in job.neo4j_kinds.items():
            merge_kinds(kinds.setdefault(key, {}), k)
    node_tables: list[NodeTable] = []
    rel_tables: list[RelTable] = []
    written: list[Path] = []
    entity_rows: dict[str, list[Any]] = defaultdict(list)
    for node, props_of in entity_nodes(entities):
        entity_rows[props_of["type"]].append([node, props_of])
    zeros = [0] * len(layout.jobs)
    outperforms = _aggregate(
        (a, b, p) for job in layout.jobs for a, b, papers in job.outperforms for p in papers
    )
    keys: set[TableKey] = set(kinds) | set(entity_rows)
    if outperforms:
        keys.add(("outperforms", "Method", "Method"))
    for key in sorted(k for k in keys if isinstance(k, str)):
        if key in ENTITY_TYPES:
            table = entity_rows[key]
            props = property_types((d for _, d in table), skip=NODE_SKIP)
            path = folder / table_file(key)
            ends = write_csv_in_segments(
                path, node_header(key, props), node_rows(table, key, props), [len(table), *zeros]
            )
        else:
            props = kinds[key]
            path, ends = _splice_table(out, folder, state, layout, rows, key, props)
        layout.tables[key] = ends
        node_tables.append(NodeTable(key, props))
        written.append(path)
    for key in sorted(k for k in keys if isinstance(k, tuple)):
        if key == ("outperforms", "Method", "Method"):
            table = list(outperforms_rows(outperforms))
            rel = RelTable(*key, property_types((d for *_, d in table), skip=REL_SKIP))
            path = folder / table_file(key)
            ends = write_csv_in_segments(path, rel_header(rel), rel_rows(table, rel), [0, *zeros])
        else:
            rel = RelTable(*key, kinds[key])
            path, ends = _splice_table(out, folder, state, layout, rows, key, rel.props)
        layout.tables[key] = ends
        rel_tables.append(rel)
        written.append(path)
    layout.table_kinds = {t.label: t.props for t in node_tables}
    layout.table_kinds.update({(t.type, t.start, t.end): t.props for t in rel_tables})
    written += write_scripts(folder, node_tables, rel_tables)
    return written


def _csv_bytes(key: TableKey, props: Kinds, data: list[Any], header: bool = False) -> bytes:
    """CSV rows of a table (or its header row) as the full build writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if isinstance(key, tuple):
        rel = RelTable(*key, props)
        writer.writerows([rel_header(rel)] if header else rel_rows(data, rel))
    else:
        writer.writerows([node_header(key, props)] if header else node_rows(data, key, props))
    return buffer.getvalue().encode("utf-8")


def _splice_table(
    out: Path,
    folder: Path,
    state: BuildState,
    layout: BuildState,
    rows: dict[int, dict[TableKey, list[Any]]],
    key: TableKey,
    props: Kinds,
) -> tuple[Path, list[int]]:
    """A table whose rows come from the jobs: old jobs' bytes kept, others formatted."""
    path = folder / table_file(key)
    old_jobs = len(state.jobs)
    replaced = {
        job: _csv_bytes(key, props, table.get(key, []))
        for job, table in rows.items()
        if job < old_jobs
    }
    appended = [
        _csv_bytes(key, props, rows.get(job, {}).get(key, []))
        for job in range(old_jobs, len(layout.jobs))
    ]
    if key not in state.tables:  # a table the old build did not have
        header = _csv_bytes(key, props, [], header=True)
        ends = [0] * (old_jobs + 1)
        return path, splice_segments(Path(os.devnull), ends, replaced, appended, path, header)
    if list(state.table_kinds[key].items()) != list(props.items()):
        raise AppendRefused(f"neo4j/{table_file(key)}: the new rows change its column types")
    old = out / "neo4j" / table_file(key)
    return path, splice_segments(old, state.tables[key], replaced, appended, path)
