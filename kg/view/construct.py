"""Views fed by a SPARQL CONSTRUCT query over the RDF form of the graph.

Every constructed triple between two resources becomes an edge named after its predicate.
Resources that are nodes of the knowledge graph (papers, entities, results, links) keep their
type, attributes and side-panel details; other resources become ``Resource`` nodes, labelled
by their constructed ``rdfs:label``/``skos:prefLabel`` when there is one.
"""

from __future__ import annotations

import networkx as nx
import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import KgError
from kg.export.rdf import iri, link_iri, paper_iri
from kg.graph.build import LINK_NODES
from kg.resolve import slug
from kg.resolve.normalize import person_key

LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)

LINK_KINDS = {node: kind for kind, (node, _) in LINK_NODES.items()}


def local_name(term: URIRef) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


def iri_index(graph: nx.MultiDiGraph, base: str) -> dict[URIRef, str]:
    """The RDF IRI of every node of the knowledge graph, as the RDF export names them."""
    index: dict[URIRef, str] = {}
    for nid, data in graph.nodes(data=True):
        kind = data.get("type")
        if kind == "Paper":
            index[paper_iri(base, str(data["paper_id"]))] = nid
        elif kind == "Result":
            paper, _, i = nid.removeprefix("result/").rpartition("/")
            index[iri(base, "result", slug(paper), i)] = nid
        elif kind in LINK_KINDS:
            index[link_iri(base, LINK_KINDS[kind], str(data["url"]))] = nid
        elif kind == "Author":
            index[iri(base, "author", person_key(str(data["name"])))] = nid
        elif kind == "Category":
            index[iri(base, "category", slug(str(data["term"])))] = nid
        else:
            index[iri(base, nid)] = nid
    return index


def run_construct(rdf: rdflib.Graph, query: str, source: str = "query") -> rdflib.Graph:
    """Run a CONSTRUCT query; clear errors for syntax errors and other query forms."""
    try:
        result = rdf.query(query)
    except Exception as err:  # rdflib raises pyparsing and its own errors alike
        raise KgError(f"{source}: bad SPARQL query: {err}") from err
    if result.type != "CONSTRUCT" or result.graph is None:
        raise KgError(f"{source}: the view needs a CONSTRUCT query, not {result.type}")
    return result.graph


def construct_view(
    graph: nx.MultiDiGraph, rdf: rdflib.Graph, query: str, base: str, source: str = "query"
) -> nx.MultiDiGraph:
    """The view of what ``query`` constructs, mapped back onto ``graph``'s nodes."""
    triples = sorted(run_construct(rdf, query, source))
    if not triples:
        raise KgError(f"{source}: the CONSTRUCT query returned no triples")
    index = iri_index(graph, base)
    view = nx.MultiDiGraph(name="construct")

    def node(term: URIRef) -> str:
        nid = index.get(term)
        if nid is not None:
            if nid not in view:
                view.add_node(nid, **graph.nodes[nid])
            return nid
        key = str(term)
        if key not in view:
            view.add_node(key, type="Resource", label=local_name(term), iri=key)
        return key

    for s, p, o in triples:
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, URIRef) and p != RDF.type:
            u, v, rel = node(s), node(o), local_name(p)  # type: ignore[arg-type]
            attrs = graph.get_edge_data(u, v, rel) if graph.has_edge(u, v, rel) else {}
            view.add_edge(u, v, key=rel, **{**attrs, "type": rel})
        elif isinstance(o, Literal) and p in LABELS:
            nid = node(s)
            if view.nodes[nid]["type"] == "Resource":
                view.nodes[nid]["label"] = str(o)
        else:
            node(s)
    return view
