"""A deterministic synthetic corpus, grown from the seed papers, for benchmarks.

Each synthetic paper is a seed paper with its coined names suffixed, its numbers perturbed and
its title made unique, so extraction finds a realistic mix of new and shared entities.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from kg.ingest import read_paths
from kg.model import Paper

NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+)(?![\w.])")
CODE_URL = re.compile(r"https://github\.com/[\w.-]+/([\w.-]+)")


def _coined(paper: Paper) -> list[str]:
    head = paper.title.split(":", 1)[0]
    return [head] if ":" in paper.title and len(head.split()) <= 3 and len(head) > 2 else []


def synthetic_papers(n: int, seeds: Path = Path("seeds"), seed: int = 0) -> Iterator[Paper]:
    """Yield ``n`` papers, the same ones for the same ``n``, ``seeds`` and ``seed``."""
    base, _ = read_paths([seeds])
    rng = random.Random(seed)
    for i in range(n):
        src = base[i % len(base)]
        generation = i // len(base)
        title, abstract = src.title, src.abstract
        if generation:
            for name in _coined(src):
                variant = f"{name}-{generation}"
                title = title.replace(name, variant)
                abstract = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", variant, abstract)
            abstract = NUMBER.sub(
                lambda m: f"{float(m.group(1)) * rng.uniform(0.9, 1.1):.{len(m.group(1).split('.')[1])}f}",
                abstract,
            )
            abstract = CODE_URL.sub(lambda m: f"{m.group(0)}-{generation}", abstract)
            title = f"{title} (variant {generation})"
        yield Paper(
            id=f"synth.{i:07d}",
            title=title,
            abstract=abstract,
            published=f"20{15 + i % 11:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        )


def write_jsonl(n: int, out: Path, seeds: Path = Path("seeds"), seed: int = 0) -> Path:
    """Write ``n`` synthetic papers as Hugging Face Papers API JSONL records."""
    with out.open("w", encoding="utf-8") as fh:
        for p in synthetic_papers(n, seeds, seed):
            record = {"id": p.id, "title": p.title, "summary": p.abstract,
                      "publishedAt": p.published, "authors": []}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out
