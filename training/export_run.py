"""Export a run's best pipeline like train_ner.py does (self-contained ``ner``), for
scoring and speed tests: .venv/bin/python training/export_run.py RUN_DIR [TARGET]
(default target: RUN_DIR/export)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_ner import export

run = Path(sys.argv[1])
best = run / "output-ft" / "model-best"
if not best.exists():
    best = run / "output" / "model-best"
export(best, Path(sys.argv[2]) if len(sys.argv) > 2 else run / "export")
