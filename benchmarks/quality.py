"""The README's extraction-quality table: F1 per field on the dev set and the two frozen
test sets, rules only and with the model (on demand, not a test; about a minute).

Usage (from the repository root)::

    .venv/bin/python benchmarks/quality.py [--markdown]

Each cell is what ``kg eval GOLD [--inputs LISTING] [--fast]`` prints for that field.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluate.annotations import read_gold  # noqa: E402
from kg.evaluate.predict import predict  # noqa: E402
from kg.evaluate.scorer import score  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = {
    "dev": (DATA / "seed_dev.jsonl", ROOT / "seeds"),
    "seed test": (DATA / "seed_test.jsonl", ROOT / "seeds"),
    "external test": (DATA / "external_test.jsonl", DATA / "external_papers.jsonl"),
}
FIELDS = {
    "code_urls": "code URLs",
    "datasets": "datasets",
    "metrics": "metrics",
    "methods": "methods",
    "tasks": "tasks",
    "proposed": "proposed names",
    "results": "results (value + dataset)",
    "results_strict": "results, strict (+ subject, metric)",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    columns: dict[str, dict[str, float]] = {}
    for name, (gold, inputs) in SETS.items():
        for fast in (True, False):
            report = score(read_gold(gold), predict([inputs], fast=fast))
            columns[f"{name}, {'rules' if fast else 'model'}"] = {
                field: report.counts[field].f1 for field in FIELDS
            }
    print("| field | " + " | ".join(columns) + " |")
    print("|---|" + "--:|" * len(columns))
    for field, label in FIELDS.items():
        print(f"| {label} | " + " | ".join(f"{c[field]:.3f}" for c in columns.values()) + " |")


if __name__ == "__main__":
    main()
