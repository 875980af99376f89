"""Canned SPARQL queries (``queries/*.rq``) and parameter binding.

A query file starts with comment lines: the first says what the query answers, and
``# @param NAME[:TYPE] [= DEFAULT]  description`` lines declare parameters (TYPE: string,
integer, decimal, date, iri). Parameters are bound by a ``VALUES`` block at the start of the
outermost group, which every SPARQL engine evaluates the same way and joins first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.term import Identifier

from kg.errors import KgError
from kg.export.rdf import decimal_lexical

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
PARAM = re.compile(r"^#\s*@param\s+(\w+)(?::(\w+))?(?:\s*=\s*(\S+(?:\s\S+)*?))?(?:\s{2,}(.*))?$")
TYPES = ("string", "integer", "decimal", "date", "iri")
# Skipped when looking for the first "{": comments, IRIs and strings (long strings first).
SKIP = re.compile(
    r"#[^\n]*|<[^<>\"{}|^`\\\s]*>|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
)


class QueryError(KgError):
    """A bad query file or parameter."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    default: str | None = None
    help: str = ""


@dataclass(frozen=True)
class CannedQuery:
    path: Path
    text: str
    description: str
    params: dict[str, Param] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.stem


def load_query(path: Path) -> CannedQuery:
    """Read a query file and its header (description and ``@param`` declarations)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read query: {err}") from err
    description: list[str] = []
    params: dict[str, Param] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if "@param" in line:
            m = PARAM.match(line.rstrip())
            if not m or (m.group(2) or "string") not in TYPES:
                raise QueryError(
                    f"{path}:{lineno}: bad @param line (want '# @param NAME[:TYPE] [= DEFAULT]',"
                    f" TYPE one of {', '.join(TYPES)})"
                )
            name, kind, default, help_ = m.groups()
            params[name] = Param(name, kind or "string", default, (help_ or "").strip())
        elif not params:
            description.append(line.lstrip("#").strip())
    return CannedQuery(path, text, " ".join(d for d in description if d), params)


def canned_queries(folder: Path = QUERIES_DIR) -> list[CannedQuery]:
    return [load_query(p) for p in sorted(folder.glob("*.rq"))]


def to_term(param: Param, value: str) -> Identifier:
    """A parameter value as an RDF term of the declared type."""
    try:
        if param.type == "integer":
            return Literal(int(value), datatype=XSD.integer)
        if param.type == "decimal":
            number = Decimal(value)
            if not number.is_finite():
                raise ValueError("not a finite number")
            return Literal(decimal_lexical(float(number)), datatype=XSD.decimal)
        if param.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError("want YYYY-MM-DD")
            return Literal(value, datatype=XSD.date)
        if param.type == "iri":
            if not re.fullmatch(r"[a-zA-Z][\w+.-]*:[^<>\"{}|^`\\\s]*", value):
                raise ValueError("want an absolute IRI")
            return URIRef(value)
    except (ValueError, InvalidOperation) as err:
        raise QueryError(
            f"parameter {param.name}={value!r}: not a valid {param.type}: {err}"
        ) from err
    return Literal(value)


def resolve_params(query: CannedQuery, given: Mapping[str, str]) -> dict[str, Identifier]:
    """Declared defaults overridden by ``given``; an unknown name is an error, and a parameter
    without a value (no default, not given) stays unbound, matching anything."""
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise QueryError(
            f"{query.path}: unknown parameter(s) {', '.join(unknown)} (known: {known})"
        )
    values: dict[str, Identifier] = {}
    for name, param in query.params.items():
        value = given.get(name, param.default)
        if value is not None and value != "":
            values[name] = to_term(param, value)
    return values


def bind(text: str, values: Mapping[str, Identifier]) -> str:
    """Insert ``VALUES (?a ?b) { (x y) }`` right after ``WHERE {`` (or the first ``{``)."""
    if not values:
        return text
    code = SKIP.sub(lambda m: " " * len(m.group(0)), text)
    where = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    brace = where.end() - 1 if where else code.find("{")
    if brace < 0:
        raise QueryError("cannot bind parameters: the query has no { ... } group")
    names = " ".join(f"?{n}" for n in values)
    terms = " ".join(v.n3() for v in values.values())
    return f"{text[: brace + 1]} VALUES ({names}) {{ ({terms}) }}{text[brace + 1 :]}"


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["dataset=CIFAR-10", ...]`` -> dict; a pair without ``=`` is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: want NAME=VALUE")
        out[name.strip()] = value
    return out
