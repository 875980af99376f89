"""Deterministic workloads for benchmarks: a synthetic corpus grown from the seed papers, and
the real abstracts of the shared research corpora.

Synthetic paper ``i`` is seed paper ``i mod len(seeds)`` rewritten for its generation
``i // len(seeds)``: the names it coins (``FooNet: ...``) become new pronounceable names,
its decimal numbers are perturbed, its code URLs, authors and dates change, and its title is
made unique. Curated entities (datasets, metrics, well-known methods) are kept, so a large
corpus has the realistic mix of a long tail of new names and a core of shared ones. The same
``(n, seeds, seed)`` always gives the same papers, and paper ``i`` does not depend on ``n``.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from kg.evaluate.corpora import AnnotatedText, read_scierc, read_scirex
from kg.ingest import read_paths
from kg.model import Paper

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+)(?![\w.])")
CODE_URL = re.compile(r"https://github\.com/[\w.-]+/([\w.-]+)")
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zen", "dra", "qui", "sol", "ber", "ix")
SUFFIXES = ("Net", "Former", "GPT", "Diff", "RL", "Bench", "-VL", "Gen", "LM", "")
GIVEN = ("Ada", "Bo", "Chen", "Dana", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea")
FAMILY = ("Ito", "Kumar", "Li", "Moreau", "Novak", "Okafor", "Park", "Rossi", "Silva", "Wang")


@cache
def _seed_papers(seeds: Path) -> tuple[Paper, ...]:
    papers, _ = read_paths([seeds])
    return tuple(papers)


def _coined(paper: Paper) -> list[str]:
    head = paper.title.split(":", 1)[0]
    return [head] if ":" in paper.title and len(head.split()) <= 3 and len(head) > 2 else []


def _name(rng: random.Random) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return stem.capitalize() + rng.choice(SUFFIXES)


def _variant(src: Paper, i: int, generation: int, rng: random.Random) -> Paper:
    title, abstract = src.title, src.abstract
    for name in _coined(src):
        new = _name(rng)
        title = title.replace(name, new)
        abstract = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", new, abstract)

    def perturb(m: re.Match[str]) -> str:
        digits = len(m.group(1).split(".")[1])
        return f"{float(m.group(1)) * rng.uniform(0.9, 1.1):.{digits}f}"

    abstract = NUMBER.sub(perturb, abstract)
    abstract = CODE_URL.sub(lambda m: f"{m.group(0)}-{generation}", abstract)
    authors = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.randint(1, 5))]
    return Paper(
        id=f"synth.{i:07d}",
        title=f"{title} (variant {generation})",
        abstract=abstract,
        authors=authors,
        published=f"20{15 + i % 11:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
    )


def synthetic_papers(n: int, seeds: Path = SEEDS, seed: int = 0) -> Iterator[Paper]:
    """Yield ``n`` papers, the same ones for the same ``n``, ``seeds`` and ``seed``.

    The first ``len(seeds)`` papers are the seed papers themselves (new ids and dates)."""
    base = _seed_papers(seeds)
    for i in range(n):
        src = base[i % len(base)]
        generation = i // len(base)
        if generation:
            yield _variant(src, i, generation, random.Random(f"{seed}:{i}"))
        else:
            yield Paper(
                id=f"synth.{i:07d}",
                title=src.title,
                abstract=src.abstract,
                authors=list(src.authors),
                published=f"20{15 + i % 11:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            )


def write_jsonl(n: int, out: Path, seeds: Path = SEEDS, seed: int = 0) -> Path:
    """Write ``n`` synthetic papers as Hugging Face Papers API JSONL records."""
    with out.open("w", encoding="utf-8") as fh:
        for p in synthetic_papers(n, seeds, seed):
            record = {
                "id": p.id,
                "title": p.title,
                "summary": p.abstract,
                "publishedAt": p.published,
                "authors": [{"name": a} for a in p.authors],
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def real_papers(root: Path = SHARED_DATA) -> Iterator[Paper]:
    """The real abstracts of SciERC (train, dev) and SciREX: the first sentence stands in for
    the title (neither corpus separates it)."""
    sources: list[tuple[Path, Callable[[Path], Iterable[AnnotatedText]]]] = [
        (root / "scierc" / "train.json", read_scierc),
        (root / "scierc" / "dev.json", read_scierc),
        (root / "scirex" / "train.jsonl", read_scirex),
    ]
    for path, reader in sources:
        if not path.is_file():
            continue
        for doc in reader(path):
            title, _, abstract = doc.text.partition(". ")
            yield Paper(id=f"{path.parent.name}.{doc.id}", title=title, abstract=abstract or title)
