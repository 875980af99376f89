"""``neo4j/``: CSVs for ``neo4j-admin database import full`` plus Cypher scripts.

One ``nodes_<Label>.csv`` per node type and one ``rels_<TYPE>_<Start>_<End>.csv`` per
relationship type and endpoint labels (each label is its own ID space). ``import.cypher``
creates the same graph from the same CSVs on a running server (``LOAD CSV`` in batched
transactions, idempotent MERGEs); ``constraints.cypher`` holds its first part, for use after
an offline import; ``import.sh`` runs the offline import.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.export.flatten import Kind, coerce, property_types

ARRAY_DELIMITER = ";"  # neo4j-admin's default --array-delimiter
BATCH_ROWS = 1000
ID = "id"


@dataclass
class NodeTable:
    """All nodes of one label, with their typed properties."""

    label: str
    props: dict[str, Kind]
    rows: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)


@dataclass
class RelTable:
    """All relationships of one type between two labels, with their typed properties."""

    type: str
    start: str
    end: str
    props: dict[str, Kind]
    rows: list[tuple[str, str, Mapping[str, Any]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.type}_{self.start}_{self.end}"


def graph_tables(graph: nx.MultiDiGraph) -> tuple[list[NodeTable], list[RelTable]]:
    """The graph as node and relationship tables, sorted by name, rows in graph order."""
    by_label: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_label[data["type"]].append((node, data))
    by_rel: dict[tuple[str, str, str], list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    for u, v, key, data in graph.edges(keys=True, data=True):
        by_rel[(key, graph.nodes[u]["type"], graph.nodes[v]["type"])].append((u, v, data))
    nodes = [
        NodeTable(label, property_types((d for _, d in rows), skip=("type", ID)), rows)
        for label, rows in sorted(by_label.items())
    ]
    rels = [
        RelTable(*key, property_types((d for _, _, d in rows), skip=("type",)), rows)
        for key, rows in sorted(by_rel.items())
    ]
    return nodes, rels


def cell(value: Any, kind: Kind) -> str:
    """One CSV cell in neo4j-admin syntax (empty = no property)."""
    value = coerce(value, kind)
    if value is None:
        return ""
    if kind == "string[]":
        return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, ",") for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return str(value)


def typed(props: Mapping[str, Kind]) -> list[str]:
    return [f"{k}:{t}" for k, t in props.items()]


def constraints(nodes: list[NodeTable]) -> list[str]:
    return [
        f"CREATE CONSTRAINT {t.label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{t.label}) REQUIRE n.{ID} IS UNIQUE;"
        for t in nodes
    ]


def _read(column: str, kind: Kind) -> str:
    """Cypher that reads one typed CSV column of ``row`` (empty -> null)."""
    col = f"row.`{column}:{kind}`"
    return {
        "long": f"toInteger({col})",
        "double": f"toFloat({col})",
        "boolean": f"toBoolean({col})",
        "string": f"CASE WHEN {col} <> '' THEN {col} END",
        "string[]": f"CASE WHEN {col} <> '' THEN split({col}, '{ARRAY_DELIMITER}') END",
    }[kind]


def _set(var: str, props: Mapping[str, Kind]) -> str:
    if not props:
        return ""
    return "\n  SET " + ",\n      ".join(f"{var}.`{k}` = {_read(k, t)}" for k, t in props.items())


def import_cypher(nodes: list[NodeTable], rels: list[RelTable]) -> str:
    """Constraints, then LOAD CSV of every file in batched transactions (cypher-shell -f)."""
    parts = [
        "// Load the CSVs of this folder into a running Neo4j (5.23+ or 2025.x): copy them",
        "// into the server's import/ folder, then: cypher-shell -u neo4j -p ... -f import.cypher",
        "// Every statement MERGEs on `id`, so running it again changes nothing.",
        '// Fields are quoted as in RFC 4180 ("" inside quotes). Text with a backslash before a',
        '// quote (LaTeX such as G\\"odel) needs dbms.import.csv.legacy_quote_escaping=false.',
        "",
        *constraints(nodes),
        "",
    ]
    batch = f"}} IN TRANSACTIONS OF {BATCH_ROWS} ROWS;"
    for t in nodes:
        parts.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///nodes_{t.label}.csv' AS row\n"
            f"CALL (row) {{\n  MERGE (n:{t.label} {{{ID}: row.`{ID}:ID({t.label})`}})"
            f"{_set('n', t.props)}\n{batch}\n"
        )
    for r in rels:
        parts.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///rels_{r.name}.csv' AS row\n"
            f"CALL (row) {{\n  MATCH (a:{r.start} {{{ID}: row.`:START_ID({r.start})`}})\n"
            f"  MATCH (b:{r.end} {{{ID}: row.`:END_ID({r.end})`}})\n"
            f"  MERGE (a)-[r:{r.type}]->(b){_set('r', r.props)}\n{batch}\n"
        )
    return "\n".join(parts)


def admin_script(nodes: list[NodeTable], rels: list[RelTable]) -> str:
    """A POSIX shell script running ``neo4j-admin database import full`` on these files."""
    files = [f"  --nodes=nodes_{t.label}.csv" for t in nodes]
    files += [f"  --relationships=rels_{r.name}.csv" for r in rels]
    return (
        "#!/bin/sh\n"
        "# Offline bulk import into an empty or replaced database (Neo4j 5+), server stopped:\n"
        "#   sh import.sh [DATABASE]     (neo4j-admin on PATH, default database: neo4j)\n"
        "# Then start the server and run: cypher-shell -d DATABASE -f constraints.cypher\n"
        "set -eu\n"
        'cd "$(dirname "$0")"\n'
        'neo4j-admin database import full "${1:-neo4j}" --overwrite-destination=true \\\n'
        f"  --multiline-fields=true --array-delimiter='{ARRAY_DELIMITER}' \\\n"
        + " \\\n".join(files)
        + "\n"
    )
