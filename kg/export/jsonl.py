"""``papers.jsonl``: the flat, stable record of what was extracted (schema in the README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.export.registry import Item, Task, register_writer
from kg.graph.build import PAPER_METADATA
from kg.model import Entity, Evidence, Extraction


def _evidence(e: Evidence | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "field": e.field,
        "start": e.start,
        "end": e.end,
        "sentence": e.sentence,
        "extractor": e.extractor,
    }


def paper_record(x: Extraction) -> dict[str, Any]:
    """The JSON object for one paper."""
    p = x.paper
    return {
        "id": p.id,
        "title": p.title,
        "abstract": p.abstract,
        "authors": p.authors,
        "published": p.published,
        "listings": [{"file": li.source, "date": li.date, "line": li.line} for li in p.listings],
        "categories": p.categories,
        **{name: getattr(p, name) for name in PAPER_METADATA},
        "affiliations": p.affiliations,
        "hf_users": p.handles,
        "code_urls": x.code_urls,
        "project_urls": x.project_urls,
        "dataset_urls": x.dataset_urls,
        "model_urls": x.model_urls,
        "entities": [
            {
                "type": m.type,
                "name": m.name,
                "mention": m.text,
                "aliases": m.aliases,
                "proposed": m.proposed,
                "field": m.evidence.field,
                "start": m.evidence.start,
                "end": m.evidence.end,
                "sentence": m.evidence.sentence,
                "extractor": m.evidence.extractor,
            }
            for m in x.mentions
        ],
        "results": [
            {
                "subject": r.subject,
                "dataset": r.dataset,
                "metric": r.metric,
                "value": r.value,
                "unit": r.unit,
                "delta": r.delta,
                "text": r.text,
                "evidence": _evidence(r.evidence),
            }
            for r in x.results
        ],
        "quantities": [
            {
                "value": q.value,
                "unit": q.unit,
                "what": q.what,
                "text": q.text,
                "evidence": _evidence(q.evidence),
            }
            for q in x.quantities
        ],
        "abbreviations": [
            {"short": a.short, "long": a.long, "evidence": _evidence(a.evidence)}
            for a in x.abbreviations
        ],
        "outperforms": [{"method": a, "baseline": b} for a, b in x.comparisons],
        "builds_on": [
            {"paper": b.paper, "type": b.type, "name": b.name, "evidence": _evidence(b.evidence)}
            for b in x.builds_on
        ],
    }


@register_writer("jsonl")
class JsonlWriter:
    """``papers.jsonl``, one line per paper as it comes; ``offsets`` are where each part ends
    (after ``offsets[0] = 0``), so a later append can splice parts (``kg.stream.append``)."""

    def __init__(self, out: Path, base_iri: str) -> None:
        self.path = out / "papers.jsonl"
        self.fh = self.path.open("wb")
        self.offsets = [0]

    @staticmethod
    def render(items: list[Item], base: str, out: Path, job: int) -> str:
        return "".join(json.dumps(paper_record(x), ensure_ascii=False) + "\n" for x, _ in items)

    def begin(self, entities: list[Entity]) -> None:
        pass

    def emit(self, part: str) -> None:
        self.fh.write(part.encode("utf-8"))
        self.offsets.append(self.fh.tell())

    def tasks(self) -> list[Task]:
        self.fh.close()
        return []

    def finish(self, results: list[Any]) -> list[Path]:
        return [self.path]
