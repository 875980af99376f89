"""Extraction speed, on demand (not a test): abstracts per second on one core.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_extract.py [--repeat 10] [--inputs seeds/]

Reads the inputs once, then runs the extract and resolve stages over the papers repeated
``--repeat`` times (ids made unique), once with the statistical NER (``load_nlp()``, if the
model is installed) and once rules-only (``load_nlp(model=False)``, the ``--fast`` mode).
One process, BLAS/OpenMP limited to one thread, pipeline loading excluded from the timing,
objects alive after loading frozen out of the garbage collector as in ``kg build``;
rates are abstracts (title + abstract) per CPU second of the process, i.e. per core.
Targets (issue #3): >= 200 abstracts/s with the model, >= 1,000 rules-only. The rules run
compiled when the install built them (``setup.py``); ``KG_PURE_PYTHON=1`` runs the sources.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import COMPILED, extract_papers, load_nlp  # noqa: E402
from kg.extract.pipeline import model_path  # noqa: E402
from kg.ingest import read_paths  # noqa: E402
from kg.model import Paper  # noqa: E402
from kg.resolve import resolve  # noqa: E402


def corpus(inputs: list[str], repeat: int) -> list[Paper]:
    papers, _ = read_paths(inputs)
    return [dataclasses.replace(p, id=f"{p.id}-{i}") for i in range(repeat) for p in papers]


def measure(papers: list[Paper], model: bool) -> tuple[float, float, float]:
    """Abstracts per CPU second (extract; extract + resolve) and per wall-clock second.

    CPU time of this one process is the per-core figure; wall-clock time also counts
    waiting for the CPU when other processes share the machine.
    """
    nlp = load_nlp(model=model)
    list(extract_papers(papers[:20], nlp))  # warm up
    gc.freeze()  # as the build does once the pipeline is loaded (kg/engine/run.py)
    wall, cpu = time.perf_counter(), time.process_time()
    extractions = list(extract_papers(papers, nlp))
    cpu_extract = time.process_time() - cpu
    resolve(extractions)
    cpu_total, wall_total = time.process_time() - cpu, time.perf_counter() - wall
    gc.unfreeze()
    n = len(papers)
    return n / cpu_extract, n / cpu_total, n / wall_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--inputs", nargs="+", default=[str(ROOT / "seeds")])
    args = parser.parse_args()
    papers = corpus(args.inputs, args.repeat)
    words = sum(len(p.abstract.split()) for p in papers) / len(papers)
    print(f"{len(papers)} papers (title + abstract, {words:.0f} words per abstract on average)")
    print("rules:", "compiled (mypyc)" if COMPILED else "pure Python (sources)")
    print("| mode | per CPU s: extract | per CPU s: extract + resolve | wall clock | target |")
    print("|---|---|---|---|---|")
    modes = [("rules only (--fast)", False, 1000)]
    if model_path() is not None:
        modes.insert(0, ("with statistical NER", True, 200))
    else:
        print("(no statistical model installed in kg/extract/model/: model mode skipped)")
    for name, model, target in modes:
        extract_rate, total_rate, wall_rate = measure(papers, model)
        print(
            f"| {name} | {extract_rate:,.0f} | {total_rate:,.0f} | {wall_rate:,.0f} "
            f"| >= {target:,} |"
        )


if __name__ == "__main__":
    main()
