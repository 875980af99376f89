"""Exporter plugins and the all-or-nothing writer."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.export.staging import staging as staging_folder
from kg.model import ResolvedCorpus


@dataclass(frozen=True)
class ExportContext:
    corpus: ResolvedCorpus
    graph: nx.MultiDiGraph
    base_iri: str


Writer = Callable[[ExportContext, Path], list[Path]]
"""A writer gets the context and the staging folder and returns the paths it wrote."""

EXPORTERS: dict[str, Writer] = {}


def register_exporter(name: str) -> Callable[[Writer], Writer]:
    def decorate(func: Writer) -> Writer:
        EXPORTERS[name] = func
        return func

    return decorate


def write_exports(
    context: ExportContext, out: Path, formats: Iterable[str] | None = None
) -> list[Path]:
    """Write the chosen formats into ``out``: everything is written to a staging folder first,
    so a failure leaves ``out`` as it was. Returns the final paths, sorted."""
    names = list(formats) if formats is not None else list(EXPORTERS)
    unknown = [n for n in names if n not in EXPORTERS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}")
    out.mkdir(parents=True, exist_ok=True)
    with staging_folder(out) as staging:
        written: list[Path] = []
        for name in names:
            written.extend(EXPORTERS[name](context, staging))
        tops = sorted({p.relative_to(staging).parts[0] for p in written})
        for top in tops:
            target = out / top
            if target.is_dir():
                shutil.rmtree(target)
            (staging / top).replace(target)
    return sorted(out / p.relative_to(staging) for p in written)
