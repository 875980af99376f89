"""Compare NER speed of several pipelines on the seed abstracts (like /tmp/nerspeed.py).

Usage: OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python training/speed_ner.py A B [...]

Each model is loaded once; rounds alternate between the models so that drifts in machine
load hit all of them alike. Prints CPU ms per seed paper (title + abstract), min and median.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from kg.ingest import read_paths  # noqa: E402


def main(paths: list[str], rounds: int = 7) -> None:
    os.chdir(ROOT)
    papers, _ = read_paths(["seeds"])
    texts = [t for p in papers for t in (p.title, p.abstract)] * 2
    models = [spacy.load(p) for p in paths]
    for nlp in models:
        list(nlp.pipe(texts[:100]))
    times: list[list[float]] = [[] for _ in models]
    for _ in range(rounds):
        for i, nlp in enumerate(models):
            t = time.process_time()
            list(nlp.pipe(texts, batch_size=64))
            times[i].append((time.process_time() - t) / len(texts) * 2 * 1000)
    base = statistics.median(times[0])
    for p, ts in zip(paths, times):
        med = statistics.median(ts)
        print(f"{p}: min {min(ts):.2f} median {med:.2f} ms/paper ({med / base:.3f}x first)")


if __name__ == "__main__":
    main(sys.argv[1:])
