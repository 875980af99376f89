"""Load the graph into a live Neo4j server in batches, idempotently.

The statements are plain openCypher (``UNWIND $rows`` + ``MERGE`` on ``id``; each row is
``{id, props}`` or ``{start, end, props}``, so property names never clash), so the same
batches also run on other Cypher engines; ``push`` takes any ``run(statement, rows)``.
Running it twice leaves the database as after one run: nothing is created twice, and
properties are overwritten with the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.export.flatten import Kind, coerce
from kg.export.neo4j import ID, NodeTable, RelTable, constraints, graph_tables

Run = Callable[[str, list[dict[str, Any]]], None]
BATCH_SIZE = 1000
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass
class PushStats:
    nodes: int = 0
    relationships: int = 0
    batches: int = 0


def _set(var: str, props: Mapping[str, Kind]) -> str:
    if not props:
        return ""
    return " SET " + ", ".join(f"{var}.`{k}` = row.props.`{k}`" for k in props)


def node_statement(table: NodeTable) -> str:
    return (
        f"UNWIND $rows AS row MERGE (n:{table.label} {{{ID}: row.`{ID}`}}){_set('n', table.props)}"
    )


def rel_statement(table: RelTable) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{table.start} {{{ID}: row.`start`}}) "
        f"MATCH (b:{table.end} {{{ID}: row.`end`}}) "
        f"MERGE (a)-[r:{table.type}]->(b){_set('r', table.props)}"
    )


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _props(data: Mapping[str, Any], kinds: Mapping[str, Kind]) -> dict[str, Any]:
    """``{"props": {...}}`` with typed values, or nothing when there are no properties."""
    if not kinds:
        return {}
    return {"props": {k: coerce(data.get(k), kind) for k, kind in kinds.items()}}


def batches(
    graph: nx.MultiDiGraph, size: int = BATCH_SIZE
) -> Iterator[tuple[bool, str, list[dict[str, Any]]]]:
    """(is_node, statement, rows): every node label first, then every relationship table."""
    if size < 1:
        raise KgError(f"batch size must be at least 1, got {size}")
    nodes, rels = graph_tables(graph)
    for t in nodes:
        rows = [{ID: n, **_props(d, t.props)} for n, d in t.rows]
        for chunk in _chunks(rows, size):
            yield True, node_statement(t), chunk
    for r in rels:
        rows = [{"start": u, "end": v, **_props(d, r.props)} for u, v, d in r.rows]
        for chunk in _chunks(rows, size):
            yield False, rel_statement(r), chunk


def push(graph: nx.MultiDiGraph, run: Run, size: int = BATCH_SIZE) -> PushStats:
    """Send every batch to ``run``; returns what was sent."""
    stats = PushStats()
    for is_node, statement, rows in batches(graph, size):
        run(statement, rows)
        stats.batches += 1
        if is_node:
            stats.nodes += len(rows)
        else:
            stats.relationships += len(rows)
    return stats


def check_uri(uri: str) -> None:
    """Fail early on a URI the Bolt driver cannot use."""
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme not in SCHEMES or not rest.strip("/"):
        raise KgError(f"bad Neo4j URI {uri!r}: expected SCHEME://HOST[:PORT], {' '.join(SCHEMES)}")


def push_neo4j(
    graph: nx.MultiDiGraph,
    uri: str,
    auth: tuple[str, str],
    database: str | None = None,
    size: int = BATCH_SIZE,
) -> PushStats:
    """Create the uniqueness constraints, then push every batch in its own write transaction."""
    check_uri(uri)
    try:
        import neo4j
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
    except ImportError as err:  # pragma: no cover - the extra is installed in dev
        raise KgError("kg push neo4j needs the neo4j driver: pip install 'kg[neo4j]'") from err

    def write(tx: Any, statement: str, rows: list[dict[str, Any]]) -> None:
        tx.run(statement, rows=rows).consume()

    try:
        with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                nodes, _ = graph_tables(graph)
                for statement in constraints(nodes):
                    session.run(statement.rstrip(";")).consume()
                return push(graph, lambda s, rows: session.execute_write(write, s, rows), size)
    except ServiceUnavailable as err:
        raise KgError(f"cannot reach Neo4j at {uri}: {err}") from err
    except Neo4jError as err:
        raise KgError(f"Neo4j at {uri} refused the push: {err.code}: {err.message}") from err
    except DriverError as err:
        raise KgError(f"Neo4j driver error with {uri}: {err}") from err
    except ValueError as err:  # malformed URI
        raise KgError(f"bad Neo4j URI {uri!r}: {err}") from err
