"""Where SPARQL runs: rdflib's ``Graph`` API over its in-memory store or over Oxigraph.

``memory`` is rdflib's pure-Python store; ``oxigraph`` is the Rust Oxigraph engine behind
rdflib's API (oxrdflib), in memory or, with ``db``, on disk so large graphs need not be held in
memory and are loaded only once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import KgError
from kg.export.rdf import PREFIXES

StoreKind = Literal["memory", "oxigraph"]
STORES: tuple[StoreKind, ...] = ("memory", "oxigraph")
# Fastest to parse first: a folder of exports is read from its N-Triples file.
GRAPH_FILES = ("graph.nt", "graph.ttl", "graph.jsonld")
FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
RDFLIB_FORMATS = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}


class StoreError(KgError):
    """A graph that cannot be found or read."""


def graph_files(source: Path) -> list[Path]:
    """The RDF file(s) of ``source``: a file, or the first graph file of an exports folder."""
    if source.is_file():
        if source.suffix not in FORMATS:
            raise StoreError(f"{source}: not an RDF file (expected one of {', '.join(FORMATS)})")
        return [source]
    if source.is_dir():
        for name in GRAPH_FILES:
            if (source / name).is_file():
                return [source / name]
        raise StoreError(f"{source}: no {' / '.join(GRAPH_FILES)} in this folder (run kg build)")
    raise StoreError(f"{source}: no such file or folder")


def _bind(graph: rdflib.Graph) -> rdflib.Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def memory_graph(files: Iterable[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        try:
            graph.parse(path, format=RDFLIB_FORMATS.get(path.suffix, "turtle"))
        except Exception as err:  # rdflib raises many parser-specific types
            raise StoreError(f"{path}: cannot parse RDF: {err}") from err
    return _bind(graph)


def wrap(store: ox.Store) -> rdflib.Graph:
    """rdflib's API over an Oxigraph store's default graph."""
    graph = rdflib.Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    return _bind(graph)


def oxigraph_store(files: Iterable[Path], db: Path | None = None) -> ox.Store:
    """Bulk-load ``files`` into an Oxigraph store (on disk at ``db`` if given).

    An existing non-empty on-disk store is reused as it is; delete the folder to reload it."""
    try:
        store = ox.Store(str(db)) if db is not None else ox.Store()
    except OSError as err:
        raise StoreError(f"{db}: cannot open the Oxigraph store (in use?): {err}") from err
    if db is not None and len(store):
        return store
    for path in files:
        try:
            store.bulk_load(path=str(path), format=FORMATS[path.suffix])
        except (SyntaxError, ValueError, OSError) as err:
            raise StoreError(f"{path}: cannot load RDF: {err}") from err
    if db is not None:
        store.optimize()
    return store


def open_graph(
    source: Path | None, kind: StoreKind = "oxigraph", db: Path | None = None
) -> rdflib.Graph:
    """A queryable graph of an exports folder or RDF file, on the chosen store."""
    files = graph_files(source) if source is not None else []
    if kind == "memory":
        if not files:
            raise StoreError("the memory store needs a graph file or folder")
        return memory_graph(files)
    if not files and (db is None or not db.exists()):
        raise StoreError("give a graph file or folder, or an existing --db store")
    return wrap(oxigraph_store(files, db))


def to_oxigraph(graph: rdflib.Graph) -> rdflib.Graph:
    """Copy an in-memory rdflib graph into an in-memory Oxigraph store."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return wrap(store)
