"""Canned SPARQL queries: same answers on rdflib's store and on Oxigraph; kg query CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.cli import cli, main
from kg.query import STORES, bind, canned_queries, load_query, open_graph, render, run
from kg.query.canned import QUERIES_DIR, QueryError, parse_params, resolve_params
from kg.query.results import Answer
from tests.conftest import ROOT, paper_by_title

QUERIES = canned_queries()


@pytest.fixture(scope="module")
def graphs(seed_exports: Path) -> dict[str, rdflib.Graph]:
    return {kind: open_graph(seed_exports, kind) for kind in STORES}


def _ask(graph: rdflib.Graph, name: str, **params: str) -> Answer:
    query = load_query(QUERIES_DIR / f"{name}.rq")
    return run(graph, bind(query.text, resolve_params(query, params)))


def _records(answer: Answer) -> list[dict[str, object]]:
    return [dict(zip(answer.variables, row, strict=True)) for row in answer.values()]


def test_at_least_ten_documented_queries() -> None:
    assert len(QUERIES) >= 10
    for q in QUERIES:
        assert len(q.description) > 30, q.path
        assert q.text.count("?") > 2


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_both_stores_give_the_same_answer(query, graphs: dict[str, rdflib.Graph]) -> None:  # type: ignore[no-untyped-def]
    text = bind(query.text, resolve_params(query, {}))
    answers = {kind: run(graph, text) for kind, graph in graphs.items()}
    assert answers["memory"].variables == answers["oxigraph"].variables
    assert answers["memory"].values() == answers["oxigraph"].values()


def test_most_canned_queries_answer_on_the_seeds(graphs: dict[str, rdflib.Graph]) -> None:
    answered = [
        q.name for q in QUERIES if run(graphs["oxigraph"], bind(q.text, resolve_params(q, {}))).rows
    ]
    assert len(answered) >= 10, answered


@pytest.mark.parametrize("kind", STORES)
def test_leaderboard_puts_the_best_value_first(kind: str, graphs: dict[str, rdflib.Graph]) -> None:
    fid = _records(_ask(graphs[kind], "leaderboard", dataset="CIFAR-10", metric="FID"))
    values = [r["value"] for r in fid]
    assert values == sorted(values)  # FID: lower is better
    sim = next(r for r in fid if r["value"] == 2.06)
    assert "Score Implicit Matching" in str(sim["title"])
    higher = _records(
        _ask(graphs[kind], "leaderboard", dataset="CIFAR-10", metric="FID", better="higher")
    )
    assert [r["value"] for r in higher] == sorted(values, reverse=True)


def test_method_evaluations_and_code(graphs: dict[str, rdflib.Graph]) -> None:
    rows = _records(_ask(graphs["oxigraph"], "method-evaluations", method="Step-DPO"))
    assert {("MATH", 70.8), ("GSM8K", 94.0)} <= {(r["dataset"], r["value"]) for r in rows}
    code = _records(_ask(graphs["oxigraph"], "papers-with-code", dataset="GSM8K"))
    assert "https://github.com/dvlab-research/Step-DPO" in {r["code"] for r in code}
    everything = _records(_ask(graphs["oxigraph"], "papers-with-code", dataset=""))
    assert len(everything) > len(code) and {r["host"] for r in everything} >= {"github.com"}


def test_evidence_behind_a_result(
    graphs: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    rows = _records(_ask(graphs["oxigraph"], "result-evidence", method="Step-DPO", value="70.80"))
    assert len(rows) == 1
    row = rows[0]
    assert row["dataset"] == "MATH" and "respectively" in str(row["sentence"])
    text = paper_by_title(seed_graph, "Step-DPO").paper.text(row["field"])  # type: ignore[arg-type]
    assert "70.8" in text[row["start"] : row["end"]]  # type: ignore[misc]


def test_alias_lookup_and_listing_dates(
    graphs: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    rows = _records(_ask(graphs["oxigraph"], "entities-by-alias", alias="GSM-8K"))
    assert {(r["type"], r["name"]) for r in rows} == {("Dataset", "GSM8K")}
    listed = _records(_ask(graphs["oxigraph"], "listings-by-date", date="Sep 17"))
    expected = {
        x.paper.id
        for x in seed_graph.corpus.extractions
        for li in x.paper.listings
        if li.date == "Sep 17"
    }
    assert {r["paperId"] for r in listed} == expected and expected


def test_outperforms_and_shared_datasets(
    graphs: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    claims = _records(_ask(graphs["oxigraph"], "strongest-claims"))
    assert claims
    winner, baseline = claims[0]["winner"], claims[0]["baseline"]
    beats = _records(_ask(graphs["oxigraph"], "outperforms", baseline=str(baseline)))
    assert winner in {r["winner"] for r in beats}
    step = paper_by_title(seed_graph, "Step-DPO").paper.id
    shared = _records(_ask(graphs["oxigraph"], "shared-datasets", paper=step))
    assert shared and step not in {r["other"] for r in shared}
    assert all(int(r["shared"]) >= 1 for r in shared)  # type: ignore[call-overload]


def test_on_disk_oxigraph_store_is_loaded_once(seed_exports: Path, tmp_path: Path) -> None:
    db = tmp_path / "db"
    args = [
        sys.executable,
        "-m",
        "kg",
        "query",
        "method-evaluations",
        "-o",
        "json",
        "--db",
        str(db),
    ]
    first = subprocess.run(
        [*args, "--graph", str(seed_exports)], capture_output=True, text=True, cwd=ROOT
    )
    assert first.returncode == 0, first.stderr
    assert db.is_dir()
    # A later run needs no graph files: the store on disk already holds the triples.
    again = subprocess.run(
        [*args, "--graph", str(tmp_path / "gone")], capture_output=True, text=True, cwd=ROOT
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout) != []


def test_binding_skips_braces_in_strings_and_comments() -> None:
    text = '# a { in a comment\nSELECT ?x WHERE { ?x <urn:p> "}{" }'
    bound = bind(text, {"x": rdflib.Literal("a b")})
    assert bound.endswith('WHERE { VALUES (?x) { ("a b") } ?x <urn:p> "}{" }')
    g = rdflib.Graph()
    g.add((rdflib.Literal("a b"), rdflib.URIRef("urn:p"), rdflib.Literal("}{")))  # type: ignore[arg-type]
    assert len(list(g.query(bound))) == 1


def test_parameter_errors_are_clear() -> None:
    q = load_query(QUERIES_DIR / "result-evidence.rq")
    with pytest.raises(QueryError, match="unknown parameter"):
        resolve_params(q, {"nope": "1"})
    with pytest.raises(QueryError, match="value='x': not a valid decimal"):
        resolve_params(q, {"value": "x"})
    with pytest.raises(QueryError, match="want NAME=VALUE"):
        parse_params(["dataset"])


def test_query_file_with_bad_param_line_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# A query.\n# @param x:float = 1\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"bad.rq:2: bad @param"):
        load_query(bad)


def test_cli_table_csv_json_and_sparql_json(seed_exports: Path) -> None:
    runner = CliRunner()
    args = [
        "query",
        "leaderboard",
        "--graph",
        str(seed_exports),
        "-p",
        "dataset=CIFAR-10",
        "-p",
        "metric=FID",
    ]
    table = runner.invoke(cli, args)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split() == [
        "value",
        "unit",
        "method",
        "paperId",
        "title",
        "code",
    ]
    assert "2.06" in table.output and "rows)" in table.output
    out = runner.invoke(cli, [*args, "-o", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "2.06" in {r["value"] for r in rows}
    records = json.loads(runner.invoke(cli, [*args, "-o", "json", "--store", "memory"]).output)
    assert 2.06 in {r["value"] for r in records}
    sj = json.loads(runner.invoke(cli, [*args, "-o", "sparql-json"]).output)
    assert sj["head"]["vars"][0] == "value"
    assert {
        "type": "literal",
        "value": "2.06",
        "datatype": "http://www.w3.org/2001/XMLSchema#decimal",
    } in [b["value"] for b in sj["results"]["bindings"]]
    listing = runner.invoke(cli, ["query", "--list"]).output
    assert "leaderboard:" in listing and "--param dataset = CIFAR-10" in listing


def test_render_tsv_and_xml(graphs: dict[str, rdflib.Graph]) -> None:
    answer = _ask(graphs["oxigraph"], "entities-by-alias", alias="GSM-8K")
    tsv = render(answer, "tsv").splitlines()
    assert tsv[0] == "?type\t?name\t?papers\t?altLabel"
    assert tsv[1].startswith('"Dataset"\t"GSM8K"\t')
    xml = render(answer, "sparql-xml")
    assert "<sparql" in xml and "GSM8K" in xml


def test_cli_errors_exit_2_with_file_and_message(
    seed_exports: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "broken.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }\n")
    cases = [
        (["nope"], "no such query file or canned query"),
        (["leaderboard", "-p", "colour=red"], "unknown parameter(s) colour"),
        ([str(bad)], f"{bad}: bad query:"),
        (["leaderboard", "--graph", str(tmp_path)], "no graph.nt / graph.ttl / graph.jsonld"),
    ]
    for args, message in cases:
        graph = [] if "--graph" in args else ["--graph", str(seed_exports)]
        monkeypatch.setattr(sys, "argv", ["kg", "query", *args, *graph])
        with pytest.raises(SystemExit) as exit_:
            main()
        err = capsys.readouterr().err
        assert exit_.value.code == 2, (args, err)
        assert message in err and "Traceback" not in err, (args, err)


def test_api_query_runs_on_oxigraph(seed_graph: KnowledgeGraph) -> None:
    df = seed_graph.query("""
        PREFIX kg: <https://w3id.org/kg-ml/ontology#>
        SELECT ?v WHERE { ?r kg:value ?v } ORDER BY DESC(?v) LIMIT 1""")
    assert list(df.columns) == ["v"] and isinstance(df.iloc[0]["v"], float)
    assert "Oxigraph" in type(seed_graph.sparql_graph.store).__name__


def test_published_on_a_day() -> None:
    import kg
    from tests.conftest import INPUTS

    graph = kg.build([INPUTS])
    dated = next(x.paper for x in graph.corpus.extractions if x.paper.published)
    day = str(dated.published)[:10]
    rows = _records(_ask(graph.sparql_graph, "published-on", date=day))
    assert dated.id in {r["paperId"] for r in rows}
    expected = {
        x.paper.id for x in graph.corpus.extractions if (x.paper.published or "")[:10] == day
    }
    assert {r["paperId"] for r in rows} == expected
    with pytest.raises(QueryError, match="not a valid date"):
        _ask(graph.sparql_graph, "published-on", date="June 26")
