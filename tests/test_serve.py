"""The SPARQL endpoint, tested with a real SPARQL client (SPARQLWrapper) over HTTP."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.query import open_graph
from kg.serve import Endpoint, make_server, serve_in_thread
from tests.conftest import ROOT

PREFIXES = """PREFIX kg: <https://w3id.org/kg-ml/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
STEP_DPO = (
    PREFIXES
    + """SELECT ?value ?dataset WHERE {
  ?r kg:ofMethod/skos:prefLabel "Step-DPO" ; kg:value ?value ; kg:onDataset/skos:prefLabel ?dataset .
} ORDER BY ?value"""
)
# Joins every triple with every paper: seconds of work on the seed graph.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?t <https://w3id.org/kg-ml/ontology#paperId> ?x }"
)


def _start(exports: Path, **limits: float) -> tuple[str, object]:
    endpoint = Endpoint(open_graph(exports), **limits)  # type: ignore[arg-type]
    server = make_server(exports, endpoint, "127.0.0.1", 0)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}", (server, endpoint)


@pytest.fixture(scope="module")
def url(seed_exports: Path) -> Iterator[str]:
    base, (server, endpoint) = _start(seed_exports, max_results=50)  # type: ignore[misc]
    yield base
    server.shutdown()  # type: ignore[attr-defined]
    endpoint.close()  # type: ignore[attr-defined]


def _client(url: str, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def _http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read().decode(),
            )
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read().decode()


def test_select_over_get_and_post_in_json(url: str) -> None:
    for method in ("GET", POST):
        client = _client(url, STEP_DPO)
        client.setMethod(method)
        bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        found = {(float(b["value"]["value"]), b["dataset"]["value"]) for b in bindings}
        assert {(70.8, "MATH"), (94.0, "GSM8K")} <= found
        assert bindings[0]["value"]["datatype"].endswith("#decimal")


def test_xml_csv_tsv_and_ask(url: str) -> None:
    xml = _client(url, STEP_DPO, XML).queryAndConvert()
    assert "70.8" in xml.toxml()  # type: ignore[union-attr]
    rows = list(csv.DictReader(io.StringIO(_client(url, STEP_DPO, CSV).queryAndConvert().decode())))  # type: ignore[union-attr]
    assert (94.0, "GSM8K") in {(float(r["value"]), r["dataset"]) for r in rows}
    tsv = _client(url, STEP_DPO, TSV).queryAndConvert().decode().splitlines()  # type: ignore[union-attr]
    assert tsv[0] == "?value\t?dataset" and any('"GSM8K"' in line for line in tsv)
    ask = _client(url, PREFIXES + 'ASK { ?e skos:altLabel "GSM-8K" }').queryAndConvert()
    assert ask["boolean"] is True  # type: ignore[index]


def test_construct_returns_a_graph(url: str) -> None:
    query = (
        PREFIXES
        + 'CONSTRUCT { ?e skos:prefLabel ?n } WHERE { ?e skos:prefLabel ?n ; skos:altLabel "GSM-8K" }'
    )
    graph = _client(url, query, TURTLE).queryAndConvert()
    g = rdflib.Graph().parse(data=graph, format="turtle")  # type: ignore[arg-type]
    assert {str(o) for o in g.objects()} == {"GSM8K"}


def test_content_negotiation_by_accept_header(url: str) -> None:
    query = urllib.parse.urlencode({"query": STEP_DPO})
    for accept, media in (
        ("text/csv", "text/csv"),
        (
            "application/sparql-results+xml;q=0.5, text/tab-separated-values",
            "text/tab-separated-values",
        ),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ):
        status, headers, _ = _http(f"{url}/sparql?{query}", headers={"Accept": accept})
        assert status == 200 and headers["content-type"].startswith(media), accept
    status, _, _ = _http(f"{url}/sparql?{query}", headers={"Accept": "image/png"})
    assert status == 406


def test_updates_load_and_service_are_refused(url: str) -> None:
    for query in (
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "LOAD <http://example.org/data.ttl>",
        "DROP ALL",
    ):
        client = _client(url, query)
        client.setMethod(POST)
        with pytest.raises(Exception, match="403"):  # SPARQLWrapper: HTTP Error 403
            client.query()
        # Sent as a query (not an update), it is refused the same way.
        status, _, body = _http(f"{url}/sparql", urllib.parse.urlencode({"query": query}).encode())
        assert status == 403 and "read-only" in body
    status, _, body = _http(
        f"{url}/sparql",
        b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        {"Content-Type": "application/sparql-update"},
    )
    assert status == 403
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    status, _, body = _http(f"{url}/sparql?" + urllib.parse.urlencode({"query": service}))
    assert status == 403 and "SERVICE" in body
    # Nothing was written.
    ask = _client(url, "ASK { <urn:a> ?p ?o }").queryAndConvert()
    assert ask["boolean"] is False  # type: ignore[index]


@pytest.mark.filterwarnings("ignore:.*query type:RuntimeWarning")
def test_malformed_query_gets_400_with_the_parser_message(url: str) -> None:
    with pytest.raises(QueryBadFormed, match="line:1, col:1"):
        _client(url, "SELEC ?x WHERE { ?x ?p ?o }").query()
    status, _, body = _http(f"{url}/sparql")
    assert status == 400 and "query" in body


def test_result_limit_truncates(url: str) -> None:
    status, headers, body = _http(
        f"{url}/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert status == 200 and headers.get("x-kg-truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50


def test_time_limit(seed_exports: Path) -> None:
    base, (server, endpoint) = _start(seed_exports, timeout=0.1)  # type: ignore[misc]
    try:
        started = time.monotonic()
        status, _, body = _http(f"{base}/sparql?" + urllib.parse.urlencode({"query": SLOW}))
        assert status == 503 and "time limit of 0.1s" in body
        assert time.monotonic() - started < 0.6
    finally:
        server.shutdown()  # type: ignore[attr-defined]
        endpoint.close()  # type: ignore[attr-defined]


def test_serves_the_html_view_and_vocabularies(url: str, seed_exports: Path) -> None:
    status, headers, body = _http(url + "/graph.html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body == (seed_exports / "graph.html").read_text(encoding="utf-8")
    status, _, home = _http(url + "/")  # with site.db, / is the research site's home
    assert status == 200 and 'href="/graph.html"' in home and "Newest listings" in home
    status, _, body = _http(url + "/ontology.ttl")
    assert status == 200 and len(rdflib.Graph().parse(data=body, format="turtle")) > 100
    status, _, body = _http(url + "/context.jsonld")
    assert status == 200 and "@context" in json.loads(body)
    assert _http(url + "/../pyproject.toml")[0] == 404


def test_kg_serve_command(seed_exports: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(seed_exports), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith(f"Serving {seed_exports}/ at http://127.0.0.1:"), line
        base = line.split(" at ")[1].split()[0].rstrip("/")
        bindings = _client(base, STEP_DPO).queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        assert (94.0, "GSM8K") in {
            (float(b["value"]["value"]), b["dataset"]["value"]) for b in bindings
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)
