"""Run SPARQL through rdflib's API and format the answers: a readable table, CSV, JSON
records, or the W3C SPARQL results formats (JSON, XML, CSV, TSV)."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib import XSD
from rdflib.query import Result
from rdflib.term import BNode, Identifier, Literal, URIRef, Variable

from kg.errors import KgError

TABLE_CELL = 60
XSD_STRING = str(XSD.string)
DATATYPES: dict[str, URIRef] = {}  # datatype IRIs seen in answers (a handful)
OUTPUTS = ("table", "csv", "json", "sparql-json", "sparql-xml", "sparql-csv", "tsv")


class SparqlError(KgError):
    """A query the engine rejected (syntax, unknown prefix...)."""


@dataclass
class Answer:
    """A finished query: SELECT rows (cut at ``limit``), an ASK boolean or a CONSTRUCT graph."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None
    truncated: bool = False
    seconds: float = 0.0

    def values(self) -> list[tuple[Any, ...]]:
        """Rows as Python values (numbers, strings, dates; IRIs as strings)."""
        return [tuple(py(t) for t in row) for row in self.rows]

    def result(self) -> Result:
        """An rdflib ``Result`` (what rdflib's result serializers take)."""
        out = Result(self.kind)
        if self.kind == "SELECT":
            out.vars = [Variable(v) for v in self.variables]
            out.bindings = [
                {Variable(v): t for v, t in zip(self.variables, row, strict=True) if t is not None}
                for row in self.rows
            ]
        elif self.kind == "ASK":
            out.askAnswer = bool(self.boolean)
        else:
            out.graph = self.graph
        return out


def run(
    graph: rdflib.Graph, text: str, limit: int | None = None, deadline: float | None = None
) -> Answer:
    """Run ``text``; stop a SELECT after ``limit`` rows, or when ``deadline`` (a
    ``time.monotonic()`` value) passes between rows (raising ``TimeoutError``).

    On an Oxigraph-backed graph the query goes straight to pyoxigraph (same engine as
    rdflib's ``graph.query`` through oxrdflib, without building rdflib result rows)."""
    started = time.perf_counter()
    store = graph.store
    if isinstance(store, OxigraphStore):
        answer = _run_oxigraph(store._inner, graph, text, limit, deadline)
        answer.seconds = time.perf_counter() - started
        return answer
    try:
        result = graph.query(text)
    except (SyntaxError, ValueError) as err:
        raise SparqlError(f"bad query: {err}") from err
    except Exception as err:  # rdflib's pyparsing errors have many types
        if type(err).__name__ in ("ParseException", "ParseSyntaxException"):
            raise SparqlError(f"bad query: {err}") from err
        raise
    answer = Answer(result.type)
    if result.type == "SELECT":
        answer.variables = [str(v) for v in result.vars or []]
        _collect(answer, (tuple(row) for row in result), limit, deadline)  # type: ignore[arg-type]
    elif result.type == "ASK":
        answer.boolean = bool(result.askAnswer)
    else:
        answer.graph = result.graph
    answer.seconds = time.perf_counter() - started
    return answer


def _run_oxigraph(
    store: ox.Store, graph: rdflib.Graph, text: str, limit: int | None, deadline: float | None
) -> Answer:
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    try:
        result = store.query(text, prefixes=prefixes)
    except (SyntaxError, ValueError, RuntimeError) as err:
        raise SparqlError(f"bad query: {err}") from err
    try:
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            out = rdflib.Graph()
            for t in result:
                out.add((_term(t.subject), _term(t.predicate), _term(t.object)))  # type: ignore[arg-type]
            return Answer("CONSTRUCT", graph=out)
        answer = Answer("SELECT", variables=[v.value for v in result.variables])
        # Each distinct term is converted once per answer: building rdflib terms is most of the
        # cost of an answer of a few hundred rows, and answers repeat terms (labels, files).
        terms: dict[Any, Identifier | None] = {None: None}

        def convert(term: Any) -> Identifier | None:
            try:
                return terms[term]
            except KeyError:
                converted = terms[term] = _term(term)
                return converted

        rows = (tuple(map(convert, solution)) for solution in result)
        _collect(answer, rows, limit, deadline, plain=False)
        return answer
    finally:
        del result  # Oxigraph's iterators must be freed on the thread that made them


def _collect(
    answer: Answer,
    rows: Iterator[tuple[Identifier | None, ...]],
    limit: int | None,
    deadline: float | None,
    plain: bool = True,
) -> None:
    """Gather ``rows`` into ``answer``; ``plain``: turn ``"x"^^xsd:string`` into ``"x"`` (the
    Oxigraph path's terms already are)."""
    try:
        for row in rows:
            if limit is not None and len(answer.rows) >= limit:
                answer.truncated = True
                break
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError
            answer.rows.append(tuple(map(_plain, row)) if plain else row)
    except (SyntaxError, ValueError, RuntimeError, OSError) as err:
        raise SparqlError(f"query failed: {err}") from err
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _term(term: Any) -> Identifier | None:
    """A pyoxigraph term as the rdflib term (simple literals without a datatype)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        iri = DATATYPES.get(datatype)
        if iri is None:
            iri = DATATYPES[datatype] = URIRef(datatype)
        return Literal(term.value, datatype=iri)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise SparqlError(f"unsupported term in an answer: {term!r}")


def _plain(term: Any) -> Any:
    """``"x"^^xsd:string`` as the simple literal ``"x"`` (the same term in RDF 1.1)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def py(term: Identifier | None) -> Any:
    """A term as a plain Python value; decimals become floats, IRIs strings."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, Literal):  # ill-typed or unknown datatype
            return str(value)
        return value
    return str(term)


def _cell(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal | URIRef | BNode):
        value = py(term)
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(term)


def table(answer: Answer) -> str:
    """A plain-text table, long cells cut at ``TABLE_CELL`` characters."""
    if answer.kind == "ASK":
        return "yes" if answer.boolean else "no"
    if answer.kind != "SELECT":
        assert answer.graph is not None
        return answer.graph.serialize(format="turtle")
    cells = [
        [
            (c if len(c) <= TABLE_CELL else c[: TABLE_CELL - 1] + "…").replace("\n", " ")
            for c in map(_cell, row)
        ]
        for row in answer.rows
    ]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(answer.variables)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(v.ljust(w) for v, w in zip(answer.variables, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    more = " (truncated)" if answer.truncated else ""
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''}{more})")
    return "\n".join(out)


def _tsv_term(term: Identifier | None) -> str:
    """SPARQL TSV: terms in Turtle syntax, tabs and newlines escaped."""
    return "" if term is None else term.n3().replace("\t", "\\t").replace("\n", "\\n")


def render(answer: Answer, output: str) -> str:
    """The answer as text in one of ``OUTPUTS``."""
    if output == "table":
        return table(answer)
    if output == "json":
        if answer.kind == "SELECT":
            records = [dict(zip(answer.variables, row, strict=True)) for row in answer.values()]
            return json.dumps(records, ensure_ascii=False, indent=1, default=str)
        if answer.kind == "ASK":
            return json.dumps(answer.boolean)
    if output == "tsv" and answer.kind == "SELECT":
        lines = ["\t".join(f"?{v}" for v in answer.variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in answer.rows]
        return "\n".join(lines) + "\n"
    if answer.kind not in ("SELECT", "ASK"):
        assert answer.graph is not None
        return answer.graph.serialize(format="nt" if output in ("csv", "tsv") else "turtle")
    fmt = {"csv": "csv", "sparql-csv": "csv", "sparql-json": "json", "sparql-xml": "xml"}.get(
        output
    )
    if fmt is None:
        raise KgError(f"unknown output {output!r} (choose from {', '.join(OUTPUTS)})")
    if output == "csv" and answer.kind == "SELECT":
        return _plain_csv(answer)
    buffer = io.BytesIO()
    answer.result().serialize(destination=buffer, format=fmt, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _plain_csv(answer: Answer) -> str:
    """CSV for spreadsheets: a header row, then plain values (SPARQL CSV, value by value)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow([_cell(t) for t in row])
    return buffer.getvalue()
