"""SciERC dev exact-span scores of one or more pipelines, one line each (for run tables).

Usage: .venv/bin/python training/score_ner.py PATH [PATH ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy
from eval_ner import evaluate_scierc_dev

for path in sys.argv[1:]:
    s = evaluate_scierc_dev(spacy.load(path))
    per = " ".join(f"{k} {s[k][2]:.3f}" for k in ("Method", "Task", "Metric", "Dataset"))
    p, r, f, _ = s["micro"]
    print(f"{path}: micro F1 {f:.3f} (P {p:.3f} R {r:.3f}) | {per}", flush=True)
