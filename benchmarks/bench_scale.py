"""Scale benchmark: papers per second per stage, peak memory, and the spaCy-tokenizer ceiling.

Each size runs in its own process (so peak memory is that build's alone): it writes N
synthetic papers as JSONL (not timed), runs the build (``kg build``, every export) and,
on the same texts in the same process, spaCy's bare tokenizer, the practical ceiling of any
spaCy pipeline. Prints one JSON line per run and a table: papers per second per stage, and
per CPU-second per stage (main process plus workers, so comparing --jobs 1 and 2 shows what
parallelism costs), with the CPU seconds and the load average before and after the build.

    .venv/bin/python benchmarks/bench_scale.py --sizes 10000 100000 1000000 --jobs 2 --fast
    .venv/bin/python benchmarks/bench_scale.py --workload real --jobs 1 --fast
    .venv/bin/python benchmarks/bench_scale.py --sizes 2000 --jobs 1 2 --fast   # speed-up
    .venv/bin/python benchmarks/bench_scale.py --sizes 100000 --incremental 100 --fast [--store]

Targets (issue 7): at 1M papers peak memory < 4 GB and throughput within 20% of 100k;
rules-only (--fast) >= 1,000 papers/s per core; --jobs 2 >= 1.7x --jobs 1. Issue 15: the
whole build (``build`` column: every export) >= 0.15x the tokenizer with --fast on one job
at 20,000 papers (>= 0.035x with the model), all exports at 100,000 papers under 4 GB.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    """Peak RSS of this process plus its largest finished child (pool workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _loadavg() -> str:
    """The 1-minute load average: above ~0.2 something else is running (wall-clock times of
    --jobs runs then understate the speed-up)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def one(size: int, jobs: int, fast: bool, workload: str) -> dict[str, object]:
    """One build in this process; returns its measurements."""
    from kg.engine import EngineOptions
    from kg.extract import COMPILED, load_nlp
    from kg.stream import iter_listings, stream_build
    from kg.synth import real_papers, write_jsonl

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        data = Path(tmp) / "papers.jsonl"
        if workload == "real":
            with data.open("w", encoding="utf-8") as fh:
                for p in real_papers():
                    fh.write(json.dumps({"id": p.id, "title": p.title, "summary": p.abstract}))
                    fh.write("\n")
        else:
            write_jsonl(size, data)
        options = EngineOptions(jobs=jobs, fast=fast)
        load_before = _loadavg()
        started = time.perf_counter()
        summary = stream_build([data], Path(tmp) / "out", options=options, store=False)
        total = time.perf_counter() - started
        papers = int(summary.papers)
        nlp = load_nlp(model=not fast)
        texts = (t for p in iter_listings([data]) for t in (p.title, p.abstract))
        started, cpu = time.perf_counter(), time.process_time()
        for _ in nlp.tokenizer.pipe(texts, batch_size=256):
            pass
        tokenizer = papers / (time.perf_counter() - started)
        tokenizer_cpu = papers / (time.process_time() - cpu)
    seconds = dict(summary.seconds)
    per_stage = {k: round(papers / v, 1) for k, v in seconds.items() if v > 0}
    cpu = Counter(summary.cpu_seconds)
    cpu.update(summary.worker_cpu_seconds)
    # Papers per CPU-second (main process plus its workers): the work each stage costs,
    # which depends much less than wall-clock time on what else the machine runs.
    per_cpu = {k: round(papers / v, 1) for k, v in cpu.items() if v > 0}
    return {
        "workload": workload,
        "papers": papers,
        "jobs": jobs,
        "fast": fast,
        "compiled": COMPILED,
        "seconds": round(total, 1),
        "papers_per_s": round(papers / total, 1),
        "cpu_seconds": round(sum(cpu.values()), 1),
        "loadavg_before": load_before,
        "loadavg_after": _loadavg(),
        "stage_seconds": seconds,
        "stage_papers_per_s": per_stage,
        "stage_cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "stage_papers_per_cpu_s": per_cpu,
        "tokenizer_papers_per_s": round(tokenizer, 1),
        "tokenizer_papers_per_cpu_s": round(tokenizer_cpu, 1),
        "extract_vs_tokenizer": round(per_stage.get("extract", 0) / tokenizer, 4),
        # The issue-15 target: the whole default build (every export) against the tokenizer.
        "build_vs_tokenizer": round(papers / total / tokenizer, 4),
        "peak_mb": round(_peak_mb(), 1),
        "entities": summary.entities,
        "triples": summary.triples,
    }


def _append(more: Path, out: Path, options: Any, store: bool, send: Any) -> None:
    """``stream_append`` in a child process: sends back its time, summary and peak MB."""
    from kg.stream import stream_append

    started = time.perf_counter()
    summary = stream_append([more], out, options=options, store=store)
    again = time.perf_counter() - started
    send.send((again, summary, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def incremental(
    size: int, added: int, jobs: int, fast: bool, store: bool, check: bool = True
) -> dict[str, object]:
    """A streamed build of ``size`` papers that keeps its append state, then ``kg add`` of
    ``added`` more (in place), then a full build of all of them to check the bytes."""
    from kg.engine import EngineOptions
    from kg.stream import stream_build
    from kg.synth import write_jsonl

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        everything = write_jsonl(size + added, Path(tmp) / "all.jsonl")
        lines = everything.read_text(encoding="utf-8").splitlines(keepends=True)
        first, more = Path(tmp) / "first.jsonl", Path(tmp) / "more.jsonl"
        first.write_text("".join(lines[:size]), encoding="utf-8")
        more.write_text("".join(lines[size:]), encoding="utf-8")
        options = EngineOptions(jobs=jobs, fast=fast, cache=Path(tmp) / "cache")
        out, rebuilt = Path(tmp) / "out", Path(tmp) / "rebuilt"
        started = time.perf_counter()
        stream_build([first], out, options=options, store=store, keep_state=True)
        full = time.perf_counter() - started
        # The append runs in a fresh process, so that its peak memory is its own.
        spawn = multiprocessing.get_context("spawn")
        receive, send = spawn.Pipe(duplex=False)
        child = spawn.Process(target=_append, args=(more, out, options, store, send))
        child.start()
        while not receive.poll(1):
            if not child.is_alive():
                raise SystemExit(f"the append failed (exit code {child.exitcode})")
        again, summary, peak = receive.recv()
        child.join()
        same = None
        if check:
            stream_build([first, more], rebuilt, options=options, store=False)
            same = all(
                (out / name).read_bytes() == (rebuilt / name).read_bytes()
                for name in ("papers.jsonl", "graph.nt")
            )
    return {
        "papers": size,
        "added": added,
        "jobs": jobs,
        "store": store,
        "full_s": round(full, 2),
        "append_s": round(again, 2),
        "append_fraction": round(again / full, 4),
        "append_peak_mb": round(peak, 1),
        "append_seconds": summary.seconds,
        "rerendered_jobs": summary.rerendered,
        "identical_to_full_build": same,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--fast", action="store_true", help="rules only (no statistical NER)")
    parser.add_argument("--workload", choices=["synthetic", "real"], default="synthetic")
    parser.add_argument(
        "--incremental", type=int, metavar="ADDED", help="time `kg add` of ADDED new papers"
    )
    parser.add_argument("--store", action="store_true", help="with --incremental: Oxigraph too")
    parser.add_argument(
        "--no-check", action="store_true", help="with --incremental: skip the full rebuild check"
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.incremental:
        for size in args.sizes:
            check = not args.no_check
            result = incremental(size, args.incremental, args.jobs[0], args.fast, args.store, check)
            print(json.dumps(result))
        return
    if args.one:
        print(json.dumps(one(args.sizes[0], args.jobs[0], args.fast, args.workload)))
        return
    sizes = [0] if args.workload == "real" else args.sizes
    rows = []
    for size in sizes:
        for jobs in args.jobs:
            cmd = [sys.executable, __file__, "--one", "--sizes", str(size), "--jobs", str(jobs)]
            cmd += ["--workload", args.workload] + (["--fast"] if args.fast else [])
            # (stderr passes through: a failed build shows why)
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            print(json.dumps(row), flush=True)
            rows.append(row)
    stages = ("parse", "extract", "resolve", "export", "graph")
    print(
        f"\n{'papers':>8} {'jobs':>4} {'total/s':>8} "
        + " ".join(f"{s:>9}" for s in stages)
        + f" {'tokenizer':>9} {'ratio':>6} {'build':>6} {'peak MB':>8}"
    )
    for r in rows:
        per = r["stage_papers_per_s"]
        print(
            f"{r['papers']:>8} {r['jobs']:>4} {r['papers_per_s']:>8} "
            + " ".join(f"{per.get(s, 0):>9}" for s in stages)
            + f" {r['tokenizer_papers_per_s']:>9} {r['extract_vs_tokenizer']:>6}"
            + f" {r['build_vs_tokenizer']:>6}"
            + f" {r['peak_mb']:>8}"
        )
        cpu = r["stage_papers_per_cpu_s"]
        print(
            f"{'per CPU-second':>22} "
            + " ".join(f"{cpu.get(s, 0):>9}" for s in stages)
            + f" {r['tokenizer_papers_per_cpu_s']:>9}"
            + f"   (CPU {r['cpu_seconds']} s, load {r['loadavg_before']}→{r['loadavg_after']})"
        )


if __name__ == "__main__":
    main()
