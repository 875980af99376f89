"""NER cost per seed paper the way ``kg`` runs it: models loaded, then their layers switched
to numpy's BLAS (``kg.extract.pipeline._numpy_matmul``), one BLAS thread.

Usage: taskset -c 0 .venv/bin/python training/speed_kg.py MODEL_A MODEL_B [...] [--rounds 7]

The seed titles and abstracts (x2) are tokenized by kg's tokenizer (docs are made
outside the timing, in each model's vocab, which holds its static vectors);
each round times, per model, the NER component alone (``ner``) and its tok2vec alone
(``tok2vec``) in CPU ms per paper (title + abstract). Rounds alternate between the models
so that drifts in machine load hit all of them alike; medians are printed.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from kg.extract import load_nlp  # noqa: E402
from kg.extract.pipeline import _numpy_matmul, one_blas_thread  # noqa: E402
from kg.ingest import read_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    os.chdir(ROOT)
    papers, _ = read_paths(["seeds"])
    texts = [t for p in papers for t in (p.title, p.abstract)] * 2
    n_papers = len(texts) / 2
    tokenizer = load_nlp(model=False).tokenizer
    models, vocabs = [], []
    for path in args.models:
        nlp = spacy.load(path)
        _numpy_matmul(nlp)
        models.append(nlp.get_pipe("ner"))
        vocabs.append(nlp.vocab)
    tokens = [tokenizer(t) for t in texts]
    words = [([t.text for t in d], [bool(t.whitespace_) for t in d]) for d in tokens]

    def make_docs(i: int, n: int | None = None) -> list[Doc]:
        return [Doc(vocabs[i], words=w, spaces=s) for w, s in words[:n]]

    times: dict[tuple[int, str], list[float]] = {}
    with one_blas_thread():
        for i, comp in enumerate(models):  # warm up
            list(comp.pipe(make_docs(i, 100)))
        for _ in range(args.rounds):
            for i, comp in enumerate(models):
                docs = make_docs(i)
                tok2vec = comp.model.get_ref("tok2vec")
                t = time.process_time()
                for start in range(0, len(docs), 64):
                    tok2vec.predict(docs[start : start + 64])
                times.setdefault((i, "tok2vec"), []).append(time.process_time() - t)
                t = time.process_time()
                list(comp.pipe(docs, batch_size=64))
                times.setdefault((i, "ner"), []).append(time.process_time() - t)
    for i, path in enumerate(args.models):
        ner = statistics.median(times[(i, "ner")]) / n_papers * 1000
        t2v = statistics.median(times[(i, "tok2vec")]) / n_papers * 1000
        print(f"{path}: ner {ner:.2f} ms/paper (tok2vec {t2v:.2f}, rest {ner - t2v:.2f})")


if __name__ == "__main__":
    main()
