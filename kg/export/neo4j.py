"""``neo4j/``: CSVs in ``neo4j-admin database import full`` format plus ``import.cypher``."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from kg.export.registry import ExportContext, register_exporter

ARRAY_DELIMITER = ";"
PROPERTIES = {
    "Paper": [
        ("paper_id", "string"),
        ("title", "string"),
        ("abstract", "string"),
        ("published", "string"),
        ("dates", "string[]"),
        ("authors", "string[]"),
    ],
    "Result": [
        ("value", "double"),
        ("unit", "string"),
        ("subject", "string"),
        ("dataset", "string"),
        ("metric", "string"),
        ("sentence", "string"),
        ("field", "string"),
        ("start", "int"),
        ("end", "int"),
    ],
    "Repository": [("url", "string"), ("host", "string")],
    "ProjectPage": [("url", "string"), ("host", "string")],
}
ENTITY_PROPERTIES = [("name", "string"), ("aliases", "string[]"), ("papers", "int")]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, ",") for v in value)
    return str(value)


@register_exporter("neo4j")
def write_neo4j(context: ExportContext, out: Path) -> list[Path]:
    folder = out / "neo4j"
    folder.mkdir()
    graph = context.graph
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_label[data["type"]].append((node, data))
    written = []
    for label in sorted(by_label):
        props = PROPERTIES.get(label, ENTITY_PROPERTIES)
        path = folder / f"nodes_{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(["id:ID", ":LABEL", *(f"{n}:{t}" for n, t in props)])
            for node, data in by_label[label]:
                writer.writerow([node, label, *(_cell(data.get(n)) for n, _ in props)])
        written.append(path)
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, data in graph.edges(keys=True, data=True):
        by_type[key].append((u, v, data))
    for rel in sorted(by_type):
        path = folder / f"rels_{rel}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow([":START_ID", ":END_ID", ":TYPE", "mentions:int", "sentence:string"])
            for u, v, data in by_type[rel]:
                writer.writerow(
                    [u, v, rel, _cell(data.get("mentions")), _cell(data.get("sentence"))]
                )
        written.append(path)
    script = folder / "import.cypher"
    script.write_text(_cypher(sorted(by_label), sorted(by_type)), encoding="utf-8")
    written.append(script)
    return written


def _cypher(labels: list[str], rels: list[str]) -> str:
    lines = [
        "// Load the CSVs in this folder into a running Neo4j 5 server.",
        "// Copy them to the server's import/ folder, then run this file with cypher-shell.",
        "",
    ]
    for label in labels:
        lines.append(
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE;"
        )
    lines.append("")
    for label in labels:
        props = PROPERTIES.get(label, ENTITY_PROPERTIES)
        sets = ", ".join(
            f"n.{n} = "
            + (
                f"split(row.`{n}:{t}`, '{ARRAY_DELIMITER}')"
                if t.endswith("[]")
                else f"to{ {'double': 'Float', 'int': 'Integer'}.get(t, 'String') }(row.`{n}:{t}`)"
            )
            for n, t in props
        )
        lines.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///nodes_{label}.csv' AS row\n"
            f"CALL (row) {{ MERGE (n:{label} {{id: row.`id:ID`}}) SET {sets} }} "
            f"IN TRANSACTIONS OF 1000 ROWS;"
        )
    lines.append("")
    for rel in rels:
        lines.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///rels_{rel}.csv' AS row\n"
            f"CALL (row) {{ MATCH (a {{id: row.`:START_ID`}}), (b {{id: row.`:END_ID`}}) "
            f"MERGE (a)-[r:{rel}]->(b) SET r.mentions = toInteger(row.`mentions:int`) }} "
            f"IN TRANSACTIONS OF 1000 ROWS;"
        )
    return "\n".join(lines) + "\n"
