"""Turtle and JSON-LD derived from the sorted N-Triples file (kg.export.syntaxes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

import kg.export.syntaxes as syntaxes
from kg.export.rdf import PREFIX_IRIS, jsonld_context, write_syntaxes

KG = "https://w3id.org/kg-ml/ontology#"
ODD = f"""<https://x.org/a> <{KG}value> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://x.org/a> <{KG}value> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://x.org/a> <{KG}unit> "Prozent"@de .
<https://x.org/a> <{KG}unit> "%" .
<https://x.org/a> <{KG}title> <https://x.org/b> .
<https://x.org/a> <{KG}line> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://x.org/a> <{KG}proposes> <{KG}Method> .
<https://x.org/a> <https://other.org/p> "q\\"uote\\nline" .
<https://x.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Thing> .
<https://x.org/b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Paper> .
"""


def _rdflib_reference(nt: Path) -> str:
    """What the JSON-LD export was before the direct writer: rdflib's compaction with the
    published context, arrays sorted."""

    def ordered(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: ordered(v) for k, v in node.items()}
        if isinstance(node, list):
            items = [ordered(v) for v in node]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return node

    graph = rdflib.Graph().parse(nt, format="nt")
    data = json.loads(graph.serialize(format="json-ld", context=jsonld_context()))
    return json.dumps(ordered(data), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.fixture(scope="module")
def seed_nt(seed_exports: Path) -> Path:
    return seed_exports / "graph.nt"


def test_jsonld_is_rdflibs_compaction_byte_for_byte(seed_nt: Path, tmp_path: Path) -> None:
    _, jsonld = write_syntaxes(seed_nt, tmp_path)
    assert jsonld.read_text(encoding="utf-8") == _rdflib_reference(seed_nt)


def test_jsonld_merged_from_spilled_runs_is_the_same(
    seed_nt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = syntaxes.write_jsonld(seed_nt, tmp_path / "whole.jsonld", jsonld_context())
    monkeypatch.setattr(syntaxes, "RUN_NODES", 7)
    runs = syntaxes.write_jsonld(seed_nt, tmp_path / "runs.jsonld", jsonld_context())
    assert runs.read_bytes() == whole.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.suffix != ".jsonld"]  # runs removed


def test_values_no_term_fits_round_trip(tmp_path: Path) -> None:
    """Datatypes other than a term's coercion, language tags, IRIs under a literal term and
    properties without a term keep their meaning (expanded again, the same graph)."""
    nt = tmp_path / "odd.nt"
    nt.write_text("".join(sorted(ODD.splitlines(keepends=True))), encoding="utf-8")
    ttl, jsonld = write_syntaxes(nt, tmp_path)
    source = rdflib.Graph().parse(nt, format="nt")
    assert isomorphic(rdflib.Graph().parse(jsonld, format="json-ld"), source)
    assert isomorphic(rdflib.Graph().parse(ttl, format="turtle"), source)
    node = next(n for n in json.loads(jsonld.read_text())["@graph"] if n["id"] == "https://x.org/a")
    assert node["value"] == "2.5"  # the term coerces xsd:decimal
    assert node["kg:value"] == {"@value": "7", "type": "xsd:integer"}  # a datatype no term has
    assert node["unit"] == ["%", {"@language": "de", "@value": "Prozent"}]
    assert node["kg:title"] == {"id": "https://x.org/b"}  # an IRI where no term takes one
    assert node["line"] == "3" and node["proposes"] == "kg:Method"
    assert node["https://other.org/p"] == 'q"uote\nline'
    assert node["type"] == "schema:Thing"


def test_turtle_has_sorted_prefixes_and_the_same_graph(seed_nt: Path, tmp_path: Path) -> None:
    ttl, _ = write_syntaxes(seed_nt, tmp_path)
    lines = ttl.read_text(encoding="utf-8").splitlines()
    head = lines[: len(PREFIX_IRIS)]
    assert head == sorted(f"@prefix {p}: <{iri}> ." for p, iri in PREFIX_IRIS.items())
    assert "@prefix" not in "".join(lines[len(PREFIX_IRIS) :])
    graph = rdflib.Graph().parse(ttl, format="turtle")
    assert isomorphic(graph, rdflib.Graph().parse(seed_nt, format="nt"))


def test_an_empty_graph_gives_valid_files(tmp_path: Path) -> None:
    nt = tmp_path / "empty.nt"
    nt.write_text("")
    ttl, jsonld = write_syntaxes(nt, tmp_path)
    assert len(rdflib.Graph().parse(ttl, format="turtle")) == 0
    data = json.loads(jsonld.read_text())
    assert data["@graph"] == [] and data["@context"] == jsonld_context()


def test_node_text_is_what_json_dumps_with_indent_writes() -> None:
    from kg.export.syntaxes import _indented

    values = [
        "plain",
        'quote " backslash \\ tab \t newline \n é ✓',
        {},
        [],
        {"b": "x", "a": {"@id": "kg:y"}, "c": ["1", {"@type": "xsd:double", "@value": "2.5"}]},
        {"k": [[], {}, ["nested", {"z": "1", "y": []}]]},
        {"n": 3, "f": 1.5, "t": True, "none": None},
    ]
    for value in values:
        expected = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
        assert _indented(value, "\n") == expected
        assert _indented(value, "\n  ") == expected.replace("\n", "\n  ")
