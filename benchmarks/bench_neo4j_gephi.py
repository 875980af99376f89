"""Benchmark the Neo4j, GEXF and GraphML exports and the push batches on growing graphs.

Run on demand (not a test):  .venv/bin/python benchmarks/bench_neo4j_gephi.py [--papers 2000]

For the seed graph and a synthetic corpus of --papers papers (kg.synth), reports nodes/edges,
then per export (each paying for its own layout) the wall time, the peak Python memory
(tracemalloc, in a second run) and the size written;
the ForceAtlas2 layout alone; and the push: all batches MERGEd into an embedded Kùzu database
(the same statements `kg push neo4j` sends), first run and idempotent second run.
Targets: every export of a 10,000-node graph in < 30 s and < 500 MB; the layout stays bounded
(O(LAYOUT_NODES^2), not O(nodes^2)).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kuzu
import networkx as nx

import kg
from kg.export import GRAPH_WRITERS
from kg.export.gephi import _LAYOUTS, layout
from kg.export.neo4j import graph_tables
from kg.export.neo4j_csv import write_tables
from kg.export.registry import ExportContext
from kg.model import ResolvedCorpus
from kg.push.neo4j import push
from kg.synth import write_jsonl

ROOT = Path(__file__).resolve().parent.parent
KUZU_TYPES = {
    "long": "INT64",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "string": "STRING",
    "string[]": "STRING[]",
}


def timed(func: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func()
    return result, time.perf_counter() - started


def measured(func: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB of Python allocations): timed in a plain run, then run
    again under tracemalloc (which slows Python down several times) for the memory."""
    _LAYOUTS.clear()
    result, seconds = timed(func)
    _LAYOUTS.clear()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def size_of(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 2**20


def kuzu_schema(conn: kuzu.Connection, graph: nx.MultiDiGraph) -> None:
    nodes, rels = graph_tables(graph)
    for t in nodes:
        cols = "".join(f", `{k}` {KUZU_TYPES[v]}" for k, v in t.props.items())
        conn.execute(f"CREATE NODE TABLE {t.label}(id STRING PRIMARY KEY{cols})")
    merged: dict[str, tuple[list[str], dict[str, str]]] = {}
    for r in rels:
        ends, props = merged.setdefault(r.type, ([], {}))
        ends.append(f"FROM {r.start} TO {r.end}")
        props.update(r.props)
    for rel, (ends, props) in merged.items():
        cols = "".join(f", `{k}` {KUZU_TYPES[v]}" for k, v in props.items())
        conn.execute(f"CREATE REL TABLE {rel}({', '.join(ends)}{cols})")


def bench(name: str, graph: nx.MultiDiGraph) -> None:
    print(f"\n== {name}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    _, seconds, peak = measured(lambda: layout(graph))
    print(f"layout (ForceAtlas2)  {seconds:7.2f} s  {peak:7.1f} MiB")
    context = ExportContext(ResolvedCorpus([], {}), graph, "https://example.org/")
    for fmt in ("neo4j", "gexf", "graphml"):
        out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
        written, seconds, peak = measured(
            lambda f=fmt, o=out: (
                write_tables(*graph_tables(graph), o / "neo4j")
                if f == "neo4j"
                else GRAPH_WRITERS[f](context, Path(tempfile.mkdtemp(dir=o)))
            )
        )
        mib = size_of(written)
        print(f"export {fmt:<14} {seconds:7.2f} s  {peak:7.1f} MiB  {mib:7.1f} MiB written")
        shutil.rmtree(out)
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-kuzu-"))
    conn = kuzu.Connection(kuzu.Database(str(folder / "db")))
    kuzu_schema(conn, graph)

    def run(statement: str, rows: list[dict[str, Any]]) -> None:
        conn.execute(statement, {"rows": rows})

    for attempt in ("first", "again"):
        stats, seconds = timed(lambda: push(graph, run, 1000))
        rate = (stats.nodes + stats.relationships) / seconds
        print(f"push to Kuzu ({attempt}) {seconds:7.2f} s  {rate:9.0f} rows/s")
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000, help="synthetic corpus size")
    args = parser.parse_args()
    bench("seeds", kg.build([ROOT / "seeds"]).graph)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_jsonl(args.papers, Path(tmp) / "synthetic.jsonl")
        started = time.perf_counter()
        graph = kg.build([corpus]).graph
        print(f"\n(built {args.papers} synthetic papers in {time.perf_counter() - started:.0f} s)")
        bench(f"synthetic x{args.papers}", graph)


if __name__ == "__main__":
    main()
