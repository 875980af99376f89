"""Canned SPARQL queries on a 100,000-paper synthetic graph: Oxigraph vs rdflib's own store.

Run on demand (not in tests):

    .venv/bin/python benchmarks/bench_sparql.py                 # 100,000 papers
    .venv/bin/python benchmarks/bench_sparql.py --papers 20000 --base 500

How the graph is made: ``--base`` synthetic papers (kg.synth, deterministic, grown from seeds/)
go through the real pipeline (extract, resolve, RDF export); the extraction runs at roughly ten
papers a second on two cores, so 100,000 papers are reached by replicating that RDF: copy k
renumbers every per-paper node (paper, listings, mentions, results, comparisons) to new
synthetic paper ids, while entities and repositories stay shared and their paper counts and
claim supports are scaled to match. Entity-centric queries therefore see more results per
entity than a true 100k build would (a conservative choice for speed).

Both stores get the same triples (checked by count and by comparing every query's answer).
Each query is timed after one warm-up run; medians are reported.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export.rdf import KG  # noqa: E402
from kg.query import bind, canned_queries, run  # noqa: E402
from kg.query.canned import resolve_params  # noqa: E402
from kg.query.stores import wrap  # noqa: E402

SYNTH = re.compile(r"synth([.-])(\d{7})")
SCALED = (KG.paperCount, KG.support)


def base_graph(n: int, work: Path) -> Path:
    """The N-Triples of ``n`` synthetic papers built through the pipeline (cached in work/)."""
    nt = work / f"base-{n}" / "graph.nt"
    if nt.is_file():
        return nt
    import kg
    from kg.synth import write_jsonl

    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    graph = kg.build([write_jsonl(n, work / f"synth-{n}.jsonl", ROOT / "seeds")])
    graph.export(work / f"base-{n}", ["rdf"])
    print(f"built {n} base papers through the pipeline in {time.perf_counter() - started:.0f}s")
    return nt


def _shift(text: str, offset: int) -> str:
    return SYNTH.sub(lambda m: f"synth{m[1]}{int(m[2]) + offset:07d}", text)


def replicate(base: rdflib.Graph, copies: int, n: int) -> Iterator[tuple[Node, Node, Node]]:
    """The base triples ``copies`` times, per-paper nodes renumbered, counts scaled."""
    shared, per_paper = [], []
    for s, p, o in base:
        (per_paper if SYNTH.search(s) or SYNTH.search(str(o)) else shared).append((s, p, o))
    for s, p, o in shared:
        if p in SCALED:
            o = Literal(int(o) * copies, datatype=o.datatype)  # type: ignore[call-overload]
        yield s, p, o
    for k in range(copies):
        cache: dict[Node, Node] = {}

        def move(term: Node, offset: int = k * n, cache: dict[Node, Node] = cache) -> Node:
            if term not in cache:
                if isinstance(term, URIRef) and SYNTH.search(term):
                    cache[term] = URIRef(_shift(term, offset))
                elif isinstance(term, Literal) and SYNTH.search(term):
                    cache[term] = Literal(_shift(term, offset), datatype=term.datatype)
                else:
                    cache[term] = term
            return cache[term]

        for s, p, o in per_paper:
            yield move(s), p, move(o)


def write_nt(base_nt: Path, out: Path, copies: int, n: int) -> None:
    """``replicate`` at the text level: the same triples as N-Triples lines."""
    shared, per_paper = [], []
    for line in base_nt.read_text(encoding="utf-8").splitlines(keepends=True):
        (per_paper if SYNTH.search(line) else shared).append(line)
    scaled = {f"<{p}>" for p in SCALED}
    with out.open("w", encoding="utf-8") as fh:
        for line in shared:
            if line.split(" ", 2)[1] in scaled:
                line = re.sub(r'"(\d+)"', lambda m: f'"{int(m[1]) * copies}"', line, count=1)
            fh.write(line)
        text = "".join(per_paper)
        for k in range(copies):
            fh.write(_shift(text, k * n))


def load_rdflib(base_nt: Path, papers: int, n: int) -> tuple[rdflib.Graph, float]:
    base = rdflib.Graph().parse(base_nt, format="nt")
    started = time.perf_counter()
    memory = rdflib.Graph(store="Memory")
    copies = -(-papers // n)
    memory.addN((s, p, o, memory) for s, p, o in replicate(base, copies, n))  # type: ignore[misc]
    return memory, time.perf_counter() - started


def load_oxigraph(base_nt: Path, papers: int, n: int, work: Path) -> tuple[rdflib.Graph, float]:
    big = work / f"graph-{papers}.nt"
    write_nt(base_nt, big, -(-papers // n), n)
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(big), format=ox.RdfFormat.N_TRIPLES)
    return wrap(store), time.perf_counter() - started


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this thread (the engine runs in it), after a
    warm-up run. CPU time is what the query costs when the machine is not shared."""
    result = fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.thread_time()
        result = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    return statistics.median(wall), statistics.median(cpu), result


def timed_in_child(
    fn: Callable[[], object], runs: int, cap: float
) -> tuple[float, float, object] | None:
    """``timed`` in a forked child (it shares the loaded store), killed after ``cap`` seconds:
    rdflib cannot be interrupted, and some queries take it many minutes. None if killed."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work() -> None:
        wall, cpu, answer = timed(fn, runs)
        child.send((wall, cpu, answer.values()))  # type: ignore[attr-defined]

    proc = ctx.Process(target=work, daemon=True)
    proc.start()
    ready = parent.poll(cap)
    result = parent.recv() if ready else None
    proc.kill()
    proc.join()
    return result  # type: ignore[no-any-return]


def params_for(graph: rdflib.Graph) -> dict[str, dict[str, str]]:
    """Parameters that exist in the synthetic graph (ids differ from the seeds')."""
    q = """PREFIX kg: <https://w3id.org/kg-ml/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?id WHERE { ?p dcterms:title ?t ; kg:paperId ?id . FILTER(STRSTARTS(?t, "Step-DPO")) }
    ORDER BY ?id LIMIT 1"""
    step = str(next(iter(graph.query(q)))[0])  # type: ignore[index]
    q = """PREFIX kg: <https://w3id.org/kg-ml/ontology#>
    SELECT ?d WHERE { ?l kg:listingDate ?d } ORDER BY ?d LIMIT 1"""
    listed = str(next(iter(graph.query(q)))[0])  # type: ignore[index]
    return {
        "shared-datasets": {"paper": step},
        "methods-proposed": {"paper": step},
        "listings-by-date": {"date": listed},
        "published-on": {"date": listed},
    }


def compare(
    stores: dict[str, rdflib.Graph],
    runs: dict[str, int],
    overrides: dict[str, dict[str, str]],
    cap: float = 60.0,
) -> None:
    """Time every canned query on every store (wall / CPU ms); check the answers agree."""
    names = list(stores)
    print(f"{'query':<20}{'rows':>6}" + "".join(f"{n + ' wall/cpu ms':>24}" for n in names), end="")
    print(f"{'speed-up':>10}" if len(names) == 2 else "")
    worst: dict[str, tuple[float, float]] = {n: (0.0, 0.0) for n in names}
    for query in canned_queries():
        text = bind(query.text, resolve_params(query, overrides.get(query.name, {})))
        wall, cpu, answers = {}, {}, {}
        for name, graph in stores.items():
            job = lambda g=graph, t=text: run(g, t)  # noqa: E731
            if name == "rdflib":
                got = timed_in_child(job, runs[name], cap)
                if got is None:
                    wall[name] = cpu[name] = cap
                    answers[name] = None
                    continue
                wall[name], cpu[name], answers[name] = got
            else:
                wall[name], cpu[name], answer = timed(job, runs[name])
                answers[name] = answer.values()  # type: ignore[attr-defined]
            worst[name] = (max(worst[name][0], wall[name]), max(worst[name][1], cpu[name]))
        rows = len(answers[names[0]] or [])
        line = f"{query.name:<20}{rows:>6}"
        line += "".join(
            f"{'>' if answers[n] is None else ' '}{wall[n] * 1000:>14.1f} /{cpu[n] * 1000:>7.1f}"
            for n in names
        )
        if len(names) == 2:
            line += f"{wall[names[1]] / wall[names[0]]:>9.0f}x"
        known = [a for a in answers.values() if a is not None]
        print(line + ("" if all(a == known[0] for a in known) else "  ANSWERS DIFFER"), flush=True)
    for name in names:
        w, c = worst[name]
        print(f"  {name}: slowest median {w * 1000:.1f} ms wall, {c * 1000:.1f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument(
        "--rdflib-papers",
        type=int,
        default=5_000,
        help="size of the head-to-head run (rdflib's store needs ~1.5 KB a triple, so 100,000"
        " papers, 11M triples, do not fit in this machine's 23 GB)",
    )
    parser.add_argument("--base", type=int, default=1000, help="papers built through the pipeline")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query on Oxigraph")
    parser.add_argument("--rdflib-runs", type=int, default=1, help="timed runs per query on rdflib")
    parser.add_argument(
        "--rdflib-cap", type=float, default=30.0, help="seconds before an rdflib query is cut"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    args = parser.parse_args()
    base_nt = base_graph(args.base, args.work)
    runs = {"oxigraph": args.runs, "rdflib": args.rdflib_runs}

    if args.rdflib_papers:
        oxigraph, ox_s = load_oxigraph(base_nt, args.rdflib_papers, args.base, args.work)
        overrides = params_for(oxigraph)
        memory, rd_s = load_rdflib(base_nt, args.rdflib_papers, args.base)
        assert len(memory) == len(oxigraph), (len(memory), len(oxigraph))
        print(
            f"\n{args.rdflib_papers:,} papers, {len(oxigraph):,} triples"
            f" (load: Oxigraph {ox_s:.0f}s, rdflib {rd_s:.0f}s)"
        )
        compare({"oxigraph": oxigraph, "rdflib": memory}, runs, overrides, args.rdflib_cap)
        del memory, oxigraph

    oxigraph, ox_s = load_oxigraph(base_nt, args.papers, args.base, args.work)
    print(f"\n{args.papers:,} papers, {len(oxigraph):,} triples (load: Oxigraph {ox_s:.0f}s)")
    compare({"oxigraph": oxigraph}, runs, params_for(oxigraph))


if __name__ == "__main__":
    main()
