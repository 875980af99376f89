"""Curated names (datasets, metrics, methods, tasks) kept as JSONL data files.

Each line of ``patterns/*.jsonl`` is ``{"label", "name", "aliases", "case_sensitive"?,
"generic"?}``. They become spaCy ``EntityRuler`` token patterns and an alias table for the
resolve stage. ``generic`` names (broad families such as GANs or Transformers, paradigms such
as reinforcement learning) are recognised, so that no other rule claims them, but not reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.model import EntityType

PATTERN_DIR = Path(__file__).parent / "patterns"
LABEL_TO_TYPE: dict[str, EntityType] = {
    "METHOD": "Method",
    "DATASET": "Dataset",
    "METRIC": "Metric",
    "TASK": "Task",
}
TYPE_TO_LABEL = {v: k for k, v in LABEL_TO_TYPE.items()}


@dataclass(frozen=True)
class KnownName:
    type: EntityType
    name: str
    aliases: tuple[str, ...]
    case_sensitive: bool
    generic: bool = False


@cache
def known_names(pattern_dir: Path = PATTERN_DIR) -> tuple[KnownName, ...]:
    """Every curated name, in file order."""
    names = []
    for path in sorted(pattern_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                names.append(
                    KnownName(
                        LABEL_TO_TYPE[rec["label"]],
                        rec["name"],
                        tuple(rec.get("aliases", ())),
                        bool(rec.get("case_sensitive", False)),
                        bool(rec.get("generic", False)),
                    )
                )
    return tuple(names)


@cache
def generic_names(pattern_dir: Path = PATTERN_DIR) -> frozenset[str]:
    """Canonical names of the curated entries marked ``generic``."""
    return frozenset(k.name for k in known_names(pattern_dir) if k.generic)


@cache
def curated_types(name: str, pattern_dir: Path = PATTERN_DIR) -> tuple[EntityType, ...]:
    """The types a curated canonical name has (two for a benchmark that is also a score)."""
    return tuple(sorted({k.type for k in known_names(pattern_dir) if k.name == name}))


def is_case_insensitive(alias: str, forced_sensitive: bool) -> bool:
    """Lower-case phrases and plain capitalised words match in any case; acronyms do not."""
    if forced_sensitive:
        return False
    if alias == alias.lower():
        return any(c.isalpha() for c in alias) and len(alias) > 3
    return alias[0].isupper() and alias[1:] == alias[1:].lower() and len(alias) > 4


def ruler_patterns(tokenize: Any, pattern_dir: Path = PATTERN_DIR) -> list[dict[str, Any]]:
    """EntityRuler token patterns for every alias; ``id`` carries the canonical name."""
    patterns = []
    for known in known_names(pattern_dir):
        for alias in (known.name, *known.aliases):
            attr = "LOWER" if is_case_insensitive(alias, known.case_sensitive) else "ORTH"
            tokens = [
                {attr: t.text.lower() if attr == "LOWER" else t.text} for t in tokenize(alias)
            ]
            patterns.append(
                {"label": TYPE_TO_LABEL[known.type], "pattern": tokens, "id": known.name}
            )
    return patterns
