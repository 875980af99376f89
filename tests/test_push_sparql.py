"""``kg push sparql``: chunked N-Triples into a real Graph Store (an Oxigraph server)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.push.sparql import PushError, graph_url, push_ntriples

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="oxigraph server not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(tmp_path_factory.mktemp("oxi")),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("oxigraph server did not start")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def count(url: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    request = urllib.request.Request(
        f"{url}/query?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request) as response:
        data = json.load(response)
    return int(data["results"]["bindings"][0]["n"]["value"])


def test_push_streams_every_triple_in_chunks(server: str, seed_exports: Path) -> None:
    nt = seed_exports / "graph.nt"
    lines = nt.read_text(encoding="utf-8").count("\n")
    stats = push_ntriples(nt, f"{server}/store", replace=True, chunk_bytes=200_000)
    assert stats.triples == lines and stats.bytes == nt.stat().st_size
    assert 1 < stats.requests <= -(-nt.stat().st_size // 200_000)
    assert count(server) == lines
    # PUT first: pushing again replaces instead of duplicating (RDF sets, so same count).
    push_ntriples(nt, f"{server}/store", replace=True)
    assert count(server) == lines


def test_push_into_a_named_graph_via_the_cli(server: str, seed_exports: Path) -> None:
    graph = "https://example.org/graphs/seeds"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "push",
            "sparql",
            f"{server}/store",
            "--graph",
            str(seed_exports),
            "--named-graph",
            graph,
            "--replace",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    lines = (seed_exports / "graph.nt").read_text(encoding="utf-8").count("\n")
    assert f"Pushed {lines} triples" in result.stdout
    assert count(server, graph) == lines


def test_refusals_name_the_url_status_and_triples(server: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> <http://c> .\nthis is not n-triples\n")
    with pytest.raises(PushError, match=r"triples 1-2 from .*bad.nt refused: HTTP 400"):
        push_ntriples(bad, f"{server}/store")


def test_unreachable_endpoint_and_bad_input_are_clear_errors(tmp_path: Path) -> None:
    nt = tmp_path / "g.nt"
    nt.write_text("<http://a> <http://b> <http://c> .\n")
    with pytest.raises(PushError, match="cannot reach the endpoint"):
        push_ntriples(nt, f"http://127.0.0.1:{_free_port()}/store")
    with pytest.raises(PushError, match="not an http"):
        push_ntriples(nt, "ftp://example.org/store")
    with pytest.raises(PushError, match="no such N-Triples file"):
        push_ntriples(tmp_path / "missing.nt", "http://127.0.0.1:1/store")
    blank = tmp_path / "b.nt"
    blank.write_text("<http://a> <http://b> <http://c> .\n_:x <http://b> <http://c> .\n")
    with pytest.raises(PushError, match=r"b.nt:2: blank node"):
        push_ntriples(blank, "http://127.0.0.1:1/store")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "push",
            "sparql",
            "http://127.0.0.1:1/store",
            "--graph",
            str(nt),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "Error: " in result.stderr


def test_graph_urls_follow_the_graph_store_protocol() -> None:
    assert graph_url("http://h/store", None) == "http://h/store?default"
    assert (
        graph_url("http://h/ds/data", "http://g/1") == "http://h/ds/data?graph=http%3A%2F%2Fg%2F1"
    )
    assert graph_url("http://h/crud?x=1", None) == "http://h/crud?x=1&default"
