"""SPARQL over the exported graph: stores (rdflib memory, Oxigraph in memory or on disk),
canned queries with parameters, and result formatting."""

from kg.query.canned import CannedQuery, QueryError, bind, canned_queries, load_query
from kg.query.results import OUTPUTS, Answer, SparqlError, render, run
from kg.query.stores import STORES, StoreError, open_graph, to_oxigraph

__all__ = [
    "OUTPUTS",
    "STORES",
    "Answer",
    "CannedQuery",
    "QueryError",
    "SparqlError",
    "StoreError",
    "bind",
    "canned_queries",
    "load_query",
    "open_graph",
    "render",
    "run",
    "to_oxigraph",
]
