"""Content negotiation for SPARQL answers (SPARQL 1.1 Protocol result formats)."""

from __future__ import annotations

# output name (kg.query.render) -> media type, for SELECT/ASK and for CONSTRUCT/DESCRIBE.
RESULT_TYPES = {
    "sparql-json": "application/sparql-results+json",
    "sparql-xml": "application/sparql-results+xml",
    "sparql-csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}
ALIASES = {
    "application/json": "sparql-json",
    "application/xml": "sparql-xml",
    "text/xml": "sparql-xml",
    "text/plain": "nt",
    "application/x-turtle": "turtle",
    "application/trig": "turtle",
}
# ?format= / ?output= shortcuts, as sent by SPARQLWrapper and common endpoints.
SHORT = {
    "json": "sparql-json",
    "xml": "sparql-xml",
    "csv": "sparql-csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "rdf": "xml",
    "rdf+xml": "xml",
}


def _accepted(header: str) -> list[str]:
    """Media types of an Accept header, best first (stable for equal q)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranked.append((-q, i, fields[0].lower()))
    return [t for _, _, t in sorted(ranked)]


def choose(accept: str | None, short: str | None, graph: bool) -> tuple[str, str] | None:
    """(output name, media type) for the answer, or None if nothing acceptable is offered.

    ``short`` is a ``format``/``output`` parameter and wins over the Accept header."""
    table = GRAPH_TYPES if graph else RESULT_TYPES
    default = "turtle" if graph else "sparql-json"
    if short:
        name = SHORT.get(short.lower()) or ALIASES.get(short.lower())
        if name is None:
            name = next((n for n, t in table.items() if t == short.lower()), None)
        if name in table:
            return name, table[name]
    for media in _accepted(accept or "*/*"):
        if media in ("*/*", "application/*", "text/*"):
            return default, table[default]
        name = ALIASES.get(media) or next((n for n, t in table.items() if t == media), None)
        if name in table:
            return name, table[name]
    return None
