"""The library API the CLI is a thin layer over.

``build_exports(paths, out)`` runs the one streaming pipeline into an exports folder (what
``kg build`` does) and ``add_exports`` appends to it; ``build(paths)`` gives the same corpus
as a ``KnowledgeGraph`` in memory (networkx, pandas tables, SPARQL) for notebooks, and
``KnowledgeGraph.export`` feeds it to the same registered writers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import pandas as pd
import rdflib

from kg.engine import EngineOptions, extract_stream
from kg.export import write_exports
from kg.export.jsonl import paper_record
from kg.export.rdf import DEFAULT_BASE, to_rdf
from kg.export.registry import ExportContext
from kg.extract import extract_papers
from kg.graph import build_graph
from kg.ingest import read_paths
from kg.model import Extraction, Paper, ResolvedCorpus
from kg.query import run, to_oxigraph
from kg.resolve import resolve
from kg.stream.build import Progress as StreamProgress
from kg.stream.folder import Settings, add_to_folder, build_folder
from kg.stream.summary import BuildSummary, paper_counts

Progress = Callable[[Iterable[Paper]], Iterable[Paper]]


@dataclass
class KnowledgeGraph:
    """A built graph: the resolved corpus, its networkx graph, and table/SPARQL views of it."""

    corpus: ResolvedCorpus
    graph: nx.MultiDiGraph
    base_iri: str = DEFAULT_BASE

    @property
    def context(self) -> ExportContext:
        return ExportContext(self.corpus, self.graph, self.base_iri)

    @cached_property
    def rdf(self) -> rdflib.Graph:
        """The graph as RDF (the same triples as the Turtle/N-Triples/JSON-LD exports)."""
        return to_rdf(self.context)

    def papers(self) -> pd.DataFrame:
        rows = []
        for x in self.corpus.extractions:
            rec = paper_record(x)
            rows.append(
                {
                    "id": rec["id"],
                    "title": rec["title"],
                    "listings": len(rec["listings"]),
                    "dates": sorted({li["date"] for li in rec["listings"] if li["date"]}),
                    "code_urls": rec["code_urls"],
                    "project_urls": rec["project_urls"],
                    "proposed": sorted({m.name for m in x.mentions if m.proposed}),
                    "entities": len({(m.type, m.name) for m in x.mentions}),
                    "results": len(x.results),
                }
            )
        return pd.DataFrame(rows)

    def entities(self) -> pd.DataFrame:
        rows = [
            {
                "id": e.id,
                "type": e.type,
                "name": e.name,
                "aliases": e.aliases,
                "papers": len(e.papers),
            }
            for e in self.corpus.entities.values()
        ]
        return (
            pd.DataFrame(rows, columns=["id", "type", "name", "aliases", "papers"])
            .sort_values(["type", "papers", "name"], ascending=[True, False, True])
            .reset_index(drop=True)
        )

    def results(self) -> pd.DataFrame:
        rows = [
            {
                "paper": x.paper.id,
                "subject": r.subject,
                "dataset": r.dataset,
                "metric": r.metric,
                "value": r.value,
                "unit": r.unit,
                "delta": r.delta,
                "sentence": r.evidence.sentence,
            }
            for x in self.corpus.extractions
            for r in x.results
        ]
        return pd.DataFrame(
            rows,
            columns=["paper", "subject", "dataset", "metric", "value", "unit", "delta", "sentence"],
        )

    def code_links(self) -> pd.DataFrame:
        rows = [
            {"paper": x.paper.id, "url": link.url, "kind": link.kind, "host": link.host}
            for x in self.corpus.extractions
            for link in x.links
        ]
        return pd.DataFrame(rows, columns=["paper", "url", "kind", "host"])

    @cached_property
    def sparql_graph(self) -> rdflib.Graph:
        """The RDF view loaded into an Oxigraph store (rdflib API): what ``query`` runs on."""
        return to_oxigraph(self.rdf)

    def query(self, sparql: str) -> pd.DataFrame:
        """Run a SPARQL SELECT on Oxigraph; one column per variable, Python values."""
        answer = run(self.sparql_graph, sparql)
        return pd.DataFrame(answer.values(), columns=answer.variables)

    def export(self, out: str | Path, formats: Iterable[str] | None = None) -> list[Path]:
        """Write the exports into ``out`` (all or nothing)."""
        return write_exports(self.context, Path(out), formats)

    def summary(self) -> BuildSummary:
        counts: Counter[str] = Counter()
        for x in self.corpus.extractions:
            counts.update(paper_counts(x))
        return BuildSummary.of(
            self.corpus.listings_read,
            counts,
            self.corpus.entities.values(),
            nodes=self.graph.number_of_nodes(),
            edges=self.graph.number_of_edges(),
        )


def extract(papers: Iterable[Paper]) -> Iterator[Extraction]:
    """Run the extraction stage (streaming)."""
    return extract_papers(papers)


def build(
    paths: Iterable[str | Path],
    fmt: str | None = None,
    base_iri: str = DEFAULT_BASE,
    progress: Progress | None = None,
    engine: EngineOptions | None = None,
) -> KnowledgeGraph:
    """Read listings (files and folders), extract, resolve and build the graph in memory.

    ``engine`` picks how extraction runs (``EngineOptions(jobs=2)``, ``engine="dask"``,
    ``cache=Path(...)``, ``fast=True``); the graph is the same whatever it is."""
    papers, listings = read_paths(paths, fmt)
    stream: Iterable[Paper] = progress(papers) if progress else papers
    corpus = resolve(extract_stream(stream, engine), listings)
    return KnowledgeGraph(corpus, build_graph(corpus), base_iri)


def build_exports(
    paths: Iterable[str | Path],
    out: str | Path,
    settings: Settings | None = None,
    engine: EngineOptions | None = None,
    progress: StreamProgress | None = None,
) -> BuildSummary:
    """Build listings straight into the exports in ``out`` with bounded memory (what
    ``kg build`` runs) and return the summary. With ``engine.cache`` the build is remembered
    and a later build or ``add_exports`` appends what is new (see ``kg.stream.folder``)."""
    return build_folder(paths, Path(out), settings or Settings(), engine, progress)


def add_exports(
    paths: Iterable[str | Path],
    out: str | Path,
    engine: EngineOptions | None = None,
    progress: StreamProgress | None = None,
) -> BuildSummary | None:
    """Add listings to a build made with a cache (what ``kg add`` runs): in place when
    only the new papers' work is needed, else by a full build through the cache. None when
    every file is already in the build."""
    return add_to_folder(paths, Path(out), engine, progress)
