"""What a build or an append reports: one typed summary for both."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.model import Entity, Extraction

COUNTED = ("proposed", "results", "quantities", "code_links", "project_links")


def paper_counts(x: Extraction) -> dict[str, int]:
    """What one paper adds to a summary's counts."""
    return {
        "papers": 1,
        "proposed": sum(m.proposed for m in x.mentions),
        "results": len(x.results),
        "quantities": len(x.quantities),
        "code_links": len(x.code_urls),
        "project_links": len(x.project_urls),
    }


def _rounded(seconds: Mapping[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in sorted(seconds.items()) if v}


@dataclass
class BuildSummary:
    """Counts of what was read and extracted, where the time went and what was written.

    ``notes`` say what was not written and why; an append also fills ``added_papers``,
    ``updated_papers`` and ``rerendered`` (runs of papers rendered again, per output)."""

    listings: int
    papers: int
    entities: dict[str, int]
    proposed: int = 0
    results: int = 0
    quantities: int = 0
    code_links: int = 0
    project_links: int = 0
    triples: int | None = None
    nodes: int | None = None
    edges: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    worker_cpu_seconds: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added_papers: int | None = None
    updated_papers: int | None = None
    rerendered: dict[str, int] | None = None

    @property
    def duplicates_merged(self) -> int:
        return self.listings - self.papers

    @classmethod
    def of(
        cls,
        listings: int,
        counts: Mapping[str, int],
        entities: Iterable[Entity],
        **rest: Any,
    ) -> BuildSummary:
        """A summary from per-paper ``counts`` (sums of ``paper_counts``) and the entities."""
        for key in ("seconds", "cpu_seconds", "worker_cpu_seconds"):
            if key in rest:
                rest[key] = _rounded(rest[key])
        summary = cls(
            listings=listings,
            papers=counts.get("papers", 0),
            entities=dict(sorted(Counter(e.type for e in entities).items())),
            **rest,
        )
        for key in COUNTED:
            setattr(summary, key, counts.get(key, 0))
        return summary

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready values (paths as strings), with ``duplicates_merged``."""
        data = asdict(self)
        data["written"] = [str(p) for p in self.written]
        data["duplicates_merged"] = self.duplicates_merged
        return data
