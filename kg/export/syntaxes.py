"""Turtle and JSON-LD written from the sorted N-Triples file, in bounded memory.

``graph.nt`` is the one RDF file every build writes (sorted, unique lines); the other two
syntaxes are derived from it, so they describe the same graph at any size:

- **Turtle** by pyoxigraph's streaming serializer (Rust, with the ontology's prefixes): each
  subject's triples are adjacent in a sorted N-Triples file, so they come out as one block.
- **JSON-LD** compacted with ``kg/context.jsonld`` by ``jsonld_nodes``, a direct writer for
  the shapes this graph has (IRIs, typed and plain literals, no blank nodes): one node object
  per subject, keys sorted, arrays sorted, the ``@graph`` ordered by each node's JSON text
  (runs sorted in memory, merged from disk). The bytes are those rdflib's JSON-LD compaction
  gave, sorted the same way (``tests/test_rdf.py`` compares both on the seeds).
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Iterator, Mapping
from itertools import groupby
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RUN_NODES = 50_000  # JSON-LD nodes sorted in memory per run


class _PrefixesSorted:
    """A binary sink that writes the serializer's ``@prefix`` lines sorted, the rest as is
    (pyoxigraph writes them in an order of its own)."""

    def __init__(self, out: IO[bytes], count: int) -> None:
        self.out, self.count, self.head = out, count, b""

    def write(self, data: bytes) -> int:
        if self.count < 0:
            return self.out.write(data)
        self.head += data
        lines = self.head.split(b"\n")
        if len(lines) > self.count:
            self.out.write(b"".join(sorted(line + b"\n" for line in lines[: self.count])))
            self.out.write(b"\n".join(lines[self.count :]))
            self.count = -1
        return len(data)

    def flush(self) -> None:
        if self.count >= 0:  # (fewer lines than prefixes: an empty graph)
            self.out.write(self.head)
            self.count = -1
        self.out.flush()


def write_turtle(nt: Path, ttl: Path, prefixes: Mapping[str, str]) -> Path:
    """``ttl`` from the N-Triples file ``nt``, streamed, ``@prefix`` lines sorted."""
    triples = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    with ttl.open("wb") as fh:
        sink = _PrefixesSorted(fh, len(prefixes))
        ox.serialize(triples, output=sink, format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes))  # type: ignore[arg-type]
        sink.flush()
    return ttl


class Compactor:
    """IRI and term compaction by a JSON-LD ``@context`` without scoped or nested contexts:
    terms (with an optional ``@type`` coercion) and prefixes."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.prefixes = {
            k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))
        }
        self.keyword = {v: k for k, v in context.items() if v in ("@id", "@type")}
        self.terms: dict[tuple[str, str | None], str] = {}  # (property IRI, coercion) -> term
        self.vocab: dict[str, str] = {}  # IRI -> term without coercion
        for term, value in sorted(context.items()):
            if term in self.prefixes or term in self.keyword.values():
                continue
            if isinstance(value, str):
                iri, coerce = self.expand(value), None
            else:
                iri, coerce = self.expand(value["@id"]), value.get("@type")
                if coerce is not None and coerce != "@id":
                    coerce = self.expand(coerce)
            self.terms.setdefault((iri, coerce), term)
            if coerce is None:
                self.vocab.setdefault(iri, term)

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def iri(self, value: str) -> str:
        """An IRI value (``@id``): a compact IRI when a prefix covers it."""
        best = value
        for prefix, ns in self.prefixes.items():
            if value.startswith(ns) and len(value) > len(ns):
                candidate = f"{prefix}:{value[len(ns) :]}"
                if (len(candidate), candidate) < (len(best), best):
                    best = candidate
        return best

    def vocab_iri(self, value: str) -> str:
        """A property or type IRI: its term when one maps to it, else as ``iri``."""
        return self.vocab.get(value) or self.iri(value)

    def entry(self, predicate: str, obj: ox.NamedNode | ox.Literal) -> tuple[str, Any]:
        """The key and the compacted value of one property value."""
        if isinstance(obj, ox.NamedNode):
            term = self.terms.get((predicate, "@id"))
            if term:
                return term, self.iri(obj.value)
            return self.vocab_iri(predicate), {self.keyword["@id"]: self.iri(obj.value)}
        datatype = obj.datatype.value
        if obj.language:
            value: Any = {"@language": obj.language, "@value": obj.value}
            return self.vocab_iri(predicate), value
        if datatype == XSD_STRING:
            term = self.terms.get((predicate, None))
            return term or self.vocab_iri(predicate), obj.value
        term = self.terms.get((predicate, datatype))
        if term:
            return term, obj.value
        value = {self.keyword["@type"]: self.vocab_iri(datatype), "@value": obj.value}
        return self.vocab_iri(predicate), value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _node(compact: Compactor, subject: str, triples: Iterator[ox.Triple]) -> dict[str, Any]:
    values: dict[str, list[Any]] = {}
    for triple in triples:
        predicate = triple.predicate.value
        if predicate == RDF_TYPE:
            key, value = compact.keyword["@type"], compact.vocab_iri(str(triple.object.value))  # type: ignore[union-attr]
        else:
            key, value = compact.entry(predicate, triple.object)  # type: ignore[arg-type]
        values.setdefault(key, []).append(value)
    node: dict[str, Any] = {compact.keyword["@id"]: compact.iri(subject)}
    for key, items in values.items():
        if len(items) > 1:  # (most properties have one value: no JSON text to sort it by)
            items.sort(key=_sort_key)
        node[key] = items[0] if len(items) == 1 else items
    return node


def jsonld_nodes(nt: Path, context: Mapping[str, Any]) -> Iterator[str]:
    """Each subject of the sorted N-Triples file ``nt`` as a compact node object (its JSON
    text, keys sorted), in the file's subject order."""
    compact = Compactor(context)
    triples = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    for subject, group in groupby(triples, key=lambda t: t.subject.value):
        yield _sort_key(_node(compact, subject, group))


def _runs(nodes: Iterator[str], folder: Path) -> Iterator[IO[str]]:
    batch: list[str] = []
    for node in nodes:
        batch.append(node)
        if len(batch) == RUN_NODES:
            yield _spill(sorted(batch), folder)
            batch = []
    if batch:
        yield _spill(sorted(batch), folder)


def _spill(lines: list[str], folder: Path) -> IO[str]:
    fh = tempfile.TemporaryFile("w+", encoding="utf-8", dir=folder)  # noqa: SIM115 (closed by the caller)
    fh.writelines(line + "\n" for line in lines)
    fh.seek(0)
    return fh


def _indented(value: Any, newline: str) -> str:
    """``json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)`` with every line
    break written as ``newline``, for the values of a node (strings, lists and objects of
    them), without the pure-Python encoder ``indent`` makes ``json`` use."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = newline + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{encode_basestring(k)}: {_indented(value[k], inner)}" for k in sorted(value))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(v, inner) for v in value) + newline + "]"
    return json.dumps(value, ensure_ascii=False)  # (numbers, booleans, null)


def write_jsonld(nt: Path, path: Path, context: Mapping[str, Any]) -> Path:
    """``path``: the graph of ``nt`` as one JSON-LD document compacted with ``context``,
    indented by one space, keys sorted, the ``@graph`` in the order of its nodes' JSON."""
    runs = list(_runs(jsonld_nodes(nt, context), path.parent))
    try:
        merged = heapq.merge(*runs)
        head = json.dumps({"@context": context}, indent=1, sort_keys=True, ensure_ascii=False)
        with path.open("w", encoding="utf-8") as out:
            out.write(head[: -len("\n}")] + ',\n "@graph": [')
            for i, line in enumerate(merged):
                out.write(("\n  " if i == 0 else ",\n  ") + _indented(json.loads(line), "\n  "))
            out.write("\n ]\n}\n")
    finally:
        for run in runs:
            run.close()
    return path
