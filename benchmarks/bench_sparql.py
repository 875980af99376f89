"""Canned SPARQL queries on a 100,000-paper synthetic graph: Oxigraph vs rdflib's own store,
both at full size in the same run.

Run on demand (not in tests), pinned to one core on a shared machine (about 10 minutes):

    taskset -c 1 .venv/bin/python benchmarks/bench_sparql.py            # 100,000 papers
    .venv/bin/python benchmarks/bench_sparql.py --papers 20000 --base 500
    .venv/bin/python benchmarks/bench_sparql.py --no-rdflib              # Oxigraph only

How the graph is made: ``--base`` synthetic papers (kg.synth, deterministic, grown from seeds/)
go through the real pipeline (extract, resolve, RDF export); the extraction runs at roughly ten
papers a second on two cores, so 100,000 papers are reached by replicating that RDF: copy k
renumbers every per-paper node (paper, listings, mentions, results, comparisons) to new
synthetic paper ids, while entities and repositories stay shared and their paper counts and
claim supports are scaled to match. Entity-centric queries therefore see more results per
entity than a true 100k build would (a conservative choice for speed).

The two stores take turns, never in memory together: a child process bulk-loads Oxigraph (in
memory), times every canned query (a warm-up run, then the median of ``--runs``) and hands back
the timings and answers, then exits; this process then fills rdflib's default plain in-memory
store (``Memory``; 9.1 GB for the 10.7M triples) with the same triples (checked by count) and
runs the very same query texts, each in a forked child that shares the store copy-on-write. An
rdflib query is cut at ``--rdflib-cap`` seconds (120) or when its child has added
``--child-memory`` GB (4) of its own; a cut query's time is a lower bound, and so is its
speed-up. rdflib gets a warm-up run too unless that run took over ``--rdflib-warm-up`` seconds
(5), in which case it is the one timed run. Every rdflib answer must equal Oxigraph's. Times
are medians of wall clock and of the querying thread's CPU time (what the query costs when the
core is not shared); the run ends with the peak memory and "target met" if every Oxigraph
median is under 100 ms and at least 10x faster than rdflib.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export.rdf import KG  # noqa: E402
from kg.query import Answer, bind, canned_queries, run  # noqa: E402
from kg.query.canned import resolve_params  # noqa: E402
from kg.query.stores import wrap  # noqa: E402

SYNTH = re.compile(r"synth([.-])(\d{7})")
SCALED = (KG.paperCount, KG.support)
MIN_FREE = 2e9  # an rdflib query child is cut when the machine gets this close to full


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
    shared: list[tuple[Node, Node, Node]] = []
    per_paper: list[tuple[Node, Node, Node]] = []
    for s, p, o in base:
        (per_paper if SYNTH.search(str(s)) or SYNTH.search(str(o)) else shared).append((s, p, o))
    for s, p, o in shared:
        if p in SCALED:
            o = Literal(int(o) * copies, datatype=o.datatype)  # type: ignore[call-overload, attr-defined]
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
    shared: list[str] = []
    per_paper: list[str] = []
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
    """rdflib's default in-memory store ("Memory"), filled from ``replicate`` (terms shared
    within a copy, as a parser's would be within a file)."""
    base = rdflib.Graph().parse(base_nt, format="nt")
    started = time.perf_counter()
    memory = rdflib.Graph(store="Memory")
    copies = -(-papers // n)
    memory.addN((s, p, o, memory) for s, p, o in replicate(base, copies, n))
    del base
    return memory, time.perf_counter() - started


def load_oxigraph(base_nt: Path, papers: int, n: int, work: Path) -> tuple[rdflib.Graph, float]:
    big = work / f"graph-{papers}.nt"
    write_nt(base_nt, big, -(-papers // n), n)
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(big), format=ox.RdfFormat.N_TRIPLES)
    return wrap(store), time.perf_counter() - started


Timing = tuple[float, float, list[tuple[object, ...]]]


def timed(fn: Callable[[], Answer], runs: int, warm_up: float = float("inf")) -> Timing:
    """Median wall time and median CPU time of this thread (the engine runs in it) over
    ``runs`` runs after a warm-up run, and the answer's values. CPU time is what the query
    costs when the machine is not shared. A warm-up run slower than ``warm_up`` seconds is
    the only, timed, run (no cache it could warm is worth a second minute-long run)."""
    started, cpu_started = time.perf_counter(), time.thread_time()
    result = fn()
    first = (time.perf_counter() - started, time.thread_time() - cpu_started)
    if first[0] > warm_up:
        return first[0], first[1], result.values()
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.thread_time()
        result = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    return statistics.median(wall), statistics.median(cpu), result.values()


class Cut(NamedTuple):
    """An rdflib query stopped before it answered: ``seconds`` is a lower bound on its time."""

    seconds: float
    reason: str


def timed_in_child(
    fn: Callable[[], Answer], runs: int, cap: float, warm_up: float, max_private: float
) -> Timing | Cut:
    """``timed`` in a forked child (it shares the loaded store copy-on-write), killed after
    ``cap`` seconds (rdflib cannot be interrupted, and some queries take it minutes) or when
    the memory it does not share with this process passes ``max_private`` bytes."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work() -> None:
        child.send(timed(fn, runs, warm_up))

    started = time.monotonic()
    proc = ctx.Process(target=work, daemon=True)
    proc.start()
    result: Timing | Cut = Cut(cap, f"over the {cap:.0f} s cap")
    while (left := started + cap - time.monotonic()) > 0:
        if parent.poll(min(1.0, left)):
            result = parent.recv()
            break
        private = private_bytes(proc.pid)
        if private > max_private or available() < MIN_FREE:
            result = Cut(time.monotonic() - started, f"out of memory ({private / 1e9:.1f} GB)")
            break
    proc.kill()
    proc.join()
    return result


def private_bytes(pid: int | None) -> float:
    """Memory a process does not share (Linux; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            return sum(int(line.split()[1]) * 1024 for line in fh if line.startswith("Private_"))
    except OSError:
        return 0.0


def available() -> float:
    """Bytes of memory the machine can still hand out (Linux; infinite elsewhere)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return float("inf")


def peak_gb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in GB."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kb / 1e6, child_kb / 1e6


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


def time_oxigraph(
    base_nt: Path, papers: int, n: int, work: Path, runs: int
) -> tuple[int, dict[str, str], dict[str, Timing]]:
    """Load Oxigraph, time every canned query: the triple count, the bound query texts and
    the timings with answers."""
    oxigraph, ox_s = load_oxigraph(base_nt, papers, n, work)
    triples = len(oxigraph)
    overrides = params_for(oxigraph)
    texts = {
        q.name: bind(q.text, resolve_params(q, overrides.get(q.name, {}))) for q in canned_queries()
    }
    print(f"\n{papers:,} papers, {triples:,} triples. Oxigraph (bulk load {ox_s:.0f}s):")
    out = {}
    for name, text in texts.items():
        out[name] = timed(lambda t=text: run(oxigraph, t), runs)  # type: ignore[misc]
        wall, cpu, rows = out[name]
        print(f"  {name:<20}{len(rows):>6} rows {wall * 1000:>9.1f} / {cpu * 1000:.1f} ms")
    print(f"  (peak {peak_gb()[0]:.1f} GB)", flush=True)
    return triples, texts, out


def in_child(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a forked process, so that the memory it used goes back to the system."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=lambda: child.send(fn()))
    proc.start()
    result = parent.recv()
    proc.join()
    return result


def time_rdflib(
    base_nt: Path, papers: int, n: int, triples: int, texts: dict[str, str], args: Any
) -> dict[str, Timing | Cut]:
    graph, rd_s = load_rdflib(base_nt, papers, n)
    assert len(graph) == triples, (len(graph), triples)
    run(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")  # rdflib's lazy imports, once
    gc.collect()
    gc.freeze()  # the children's collector then leaves the store's pages shared
    print(f"rdflib Memory store (load {rd_s:.0f}s, peak {peak_gb()[0]:.1f} GB):", flush=True)
    out = {}
    for name, text in texts.items():
        out[name] = got = timed_in_child(
            lambda t=text: run(graph, t),  # type: ignore[misc]
            args.rdflib_runs,
            args.rdflib_cap,
            args.rdflib_warm_up,
            args.child_memory * 1e9,
        )
        took = (
            f"cut after {got.seconds:.0f} s, {got.reason}"
            if isinstance(got, Cut)
            else (f"{got[0] * 1000:.1f} ms")
        )
        print(f"  {name:<20}{took}", flush=True)
    gc.unfreeze()
    return out


def report(ox_t: dict[str, Timing], rd_t: dict[str, Timing | Cut]) -> bool:
    """The table; True if every Oxigraph median is under 100 ms and at least 10x rdflib's."""
    print(
        f"\n{'query':<20}{'rows':>6}{'Oxigraph wall / CPU ms':>25}{'rdflib wall / CPU ms':>25}"
        f"{'speed-up':>10}"
    )
    ok = True
    for name, (wall, cpu, rows) in ox_t.items():
        line = f"{name:<20}{len(rows):>6}{wall * 1000:>15.1f} /{cpu * 1000:>8.1f}"
        ok &= wall < 0.1
        got = rd_t.get(name)
        if isinstance(got, Cut):  # a lower bound
            line += (
                f"{'>':>5}{got.seconds * 1000:>10.0f} /{'-':>8}{'>':>4}{got.seconds / wall:.0f}x"
            )
            ok &= got.seconds / wall >= 10
        elif got is not None:
            line += f"{got[0] * 1000:>15.1f} /{got[1] * 1000:>8.1f}{got[0] / wall:>9.0f}x"
            ok &= got[0] / wall >= 10
            if got[2] != rows:
                line += "  ANSWERS DIFFER"
                ok = False
        print(line)
    worst = max(ox_t, key=lambda n: ox_t[n][0])
    print(f"  Oxigraph: slowest median {ox_t[worst][0] * 1000:.1f} ms ({worst})")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--base", type=int, default=1000, help="papers built through the pipeline")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query on Oxigraph")
    parser.add_argument("--rdflib-runs", type=int, default=5, help="timed runs per query on rdflib")
    parser.add_argument(
        "--rdflib-cap", type=float, default=120.0, help="seconds before an rdflib query is cut"
    )
    parser.add_argument(
        "--rdflib-warm-up",
        type=float,
        default=5.0,
        help="an rdflib warm-up run slower than this (seconds) is the only, timed, run",
    )
    parser.add_argument(
        "--child-memory",
        type=float,
        default=4.0,
        help="GB an rdflib query may add to the shared store before it is cut",
    )
    parser.add_argument("--no-rdflib", action="store_true", help="time Oxigraph only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    args = parser.parse_args()
    base_nt = base_graph(args.base, args.work)
    # Oxigraph in a child process that exits before rdflib loads: the stores are never in
    # memory together, and Oxigraph's freed heap does not stay with the rdflib process.
    triples, texts, ox_t = in_child(
        lambda: time_oxigraph(base_nt, args.papers, args.base, args.work, args.runs)
    )
    rd_t = {}
    if not args.no_rdflib:
        rd_t = time_rdflib(base_nt, args.papers, args.base, triples, texts, args)
    ok = report(ox_t, rd_t)
    own, child = peak_gb()
    print(f"  peak resident memory: {own:.1f} GB (a child: {child:.1f} GB, shared pages included)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  load average at the end (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print("target met" if ok else "TARGET MISSED", flush=True)


if __name__ == "__main__":
    main()
