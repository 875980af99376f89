"""Paper-to-paper lineage (issue 17): paper B uses a method or dataset an earlier paper A
proposed, so ``B buildsOn A`` with the entity as the reason, in every export."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kg
import kg.stream.build as stream_module
from kg.engine import EngineOptions
from kg.query import open_graph, run
from kg.query.canned import QUERIES_DIR, load_query
from kg.resolve.lineage import came_before, date_key
from kg.site import connect
from kg.site import data as site_data
from kg.stream import stream_append, stream_build
from kg.synth import write_jsonl

FAST = EngineOptions(fast=True)
PROPOSER = (
    "2501.00006",
    "2025-01-06",
    "FooNet: Fast Nets for Images",
    "We propose FooNet, a network for image classification. We also introduce BarBench, a "
    "new benchmark for robust recognition. FooNet reaches 91.2% accuracy on CIFAR-10.",
)
USER = (
    "2502.00003",
    "2025-02-03",
    "Pruning Convolutional Networks",
    "We prune FooNet to half its size and evaluate it on BarBench. The pruned FooNet keeps "
    "90.1% accuracy on CIFAR-10.",
)
# Listed before FooNet's paper: it cannot build on it, whatever it mentions.
EARLIER = (
    "2501.00001",
    "2025-01-01",
    "An Older Study",
    "We compare ResNet-50 with FooNet on CIFAR-10 and report 85.0% accuracy.",
)
# Proposes FooNet itself: it builds on no one for it.
RIVAL = (
    "2503.00001",
    "2025-03-01",
    "FooNet Revisited",
    "We propose FooNet, a new network. FooNet reaches 92.0% accuracy on CIFAR-10.",
)
USER_ID, PROPOSER_ID = "paper/2502.00003", "paper/2501.00006"


def _listings(path: Path, papers: list[tuple[str, str, str, str]]) -> Path:
    """Hugging Face daily-papers records: the outer publishedAt is the listing date."""
    with path.open("w", encoding="utf-8") as fh:
        for pid, day, title, abstract in papers:
            paper = {"id": pid, "title": title, "summary": abstract, "authors": []}
            record = {"paper": paper, "publishedAt": f"{day}T12:00:00.000Z", "title": title}
            fh.write(json.dumps(record) + "\n")
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lineage")
    corpus = _listings(folder / "papers.jsonl", [PROPOSER, USER, EARLIER, RIVAL])
    stream_build([corpus], folder / "out", options=FAST)
    return folder / "out"


def test_dates_order_only_when_comparable() -> None:
    assert date_key("Sep 17") == "0000-09-17"
    assert came_before(date_key("Mar 11"), date_key("Sep 8"))
    assert not came_before("2025-02-01", "2025-01-31")
    assert not came_before("2025-01-31", "2025-01-31")  # the same day: no order, no link
    # A yearless daily date and an ISO date cannot be ordered; a missing one neither.
    assert came_before("2025-09-01", "0000-01-01") and came_before(None, "2025-01-01")


def test_a_later_user_builds_on_the_earlier_proposer_only(tmp_path: Path) -> None:
    corpus = _listings(tmp_path / "papers.jsonl", [PROPOSER, USER, EARLIER, RIVAL])
    graph = kg.build([corpus], engine=FAST).graph
    edges = [(u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "buildsOn"]
    assert [(u, v) for u, v, _ in edges] == [(USER_ID, PROPOSER_ID)]
    data = edges[0][2]
    assert data["via"] == ["dataset/barbench", "method/foonet"]
    assert "FooNet" in data["sentence"] and data["field"] == "abstract"


def test_every_export_carries_the_lineage(exports: Path) -> None:
    lines = (exports / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    records = {json.loads(line)["id"]: json.loads(line) for line in lines}
    lineage = records["2502.00003"]["builds_on"]
    assert [(b["paper"], b["type"], b["name"]) for b in lineage] == [
        ("2501.00006", "Dataset", "BarBench"),
        ("2501.00006", "Method", "FooNet"),
    ]
    assert lineage[1]["evidence"]["sentence"].startswith("We prune FooNet")
    assert all(not r["builds_on"] for pid, r in records.items() if pid != "2502.00003")

    graph = open_graph(exports, "oxigraph")
    answer = run(graph, load_query(QUERIES_DIR / "builds-on.rq").text)
    rows = [dict(zip(answer.variables, map(str, row), strict=True)) for row in answer.values()]
    assert {(r["laterId"], r["earlierId"], r["via"]) for r in rows} == {
        ("2502.00003", "2501.00006", "FooNet"),
        ("2502.00003", "2501.00006", "BarBench"),
    }
    assert {r["followers"] for r in rows} == {"1"}

    with open(exports / "neo4j" / "rels_buildsOn_Paper_Paper.csv", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert table[0][:4] == [":START_ID(Paper)", ":END_ID(Paper)", ":TYPE", "via:string[]"]
    assert [row[:4] for row in table[1:]] == [
        [USER_ID, PROPOSER_ID, "buildsOn", "dataset/barbench;method/foonet"]
    ]

    ns = {"g": "http://gexf.net/1.3"}
    gexf = ET.parse(exports / "graph.gexf").getroot()
    kinds = {a.get("id"): a.get("title") for a in gexf.iterfind(".//g:attributes/g:attribute", ns)}
    lineage_edges = [
        (e.get("source"), e.get("target"))
        for e in gexf.iterfind(".//g:edge", ns)
        if any(
            kinds.get(v.get("for")) == "type" and v.get("value") == "buildsOn"
            for v in e.iterfind(".//g:attvalue", ns)
        )
    ]
    assert lineage_edges == [(USER_ID, PROPOSER_ID)]

    db = connect(str(exports / "site.db"))
    page = site_data.paper(db, "2502.00003")
    assert [(r["paper"]["id"], [e["name"] for e in r["via"]]) for r in page["builds_on"]] == [
        ("2501.00006", ["BarBench", "FooNet"])
    ]
    assert [r["paper"]["id"] for r in site_data.paper(db, "2501.00006")["built_on_by"]] == [
        "2502.00003"
    ]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not {".kg-state", ".kg-build.json"} & set(p.relative_to(folder).parts)
    }


def test_an_append_that_brings_the_proposer_links_the_old_user(tmp_path: Path) -> None:
    old = _listings(tmp_path / "old.jsonl", [USER, EARLIER])
    new = _listings(tmp_path / "new.jsonl", [PROPOSER, RIVAL])
    appended, full = tmp_path / "appended", tmp_path / "full"
    stream_build([old], appended, options=FAST, keep_state=True)
    before = json.loads((appended / "papers.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert before["builds_on"] == []
    stream_append([new], appended, options=FAST)
    stream_build([old, new], full, options=FAST)
    assert _files(appended) == _files(full)
    after = json.loads((appended / "papers.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {b["name"] for b in after["builds_on"]} == {"FooNet", "BarBench"}


def test_an_append_that_moves_a_proposers_first_date_updates_its_followers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RIVAL proposes FooNet after USER uses it; a new listing dates RIVAL before USER. The
    # two are in different jobs: USER's is rendered again for its lineage alone.
    monkeypatch.setattr(stream_module, "RENDER_BATCH", 8)
    options = EngineOptions(fast=True, batch_size=4)
    old = [
        _listings(tmp_path / "user.jsonl", [USER]),
        write_jsonl(20, tmp_path / "filler.jsonl"),
        _listings(tmp_path / "rival.jsonl", [RIVAL]),
    ]
    pid, _, title, abstract = RIVAL
    again = _listings(tmp_path / "again.jsonl", [(pid, "2025-01-02", title, abstract)])
    appended, full = tmp_path / "appended", tmp_path / "full"
    stream_build(old, appended, options=options, keep_state=True)
    first = json.loads((appended / "papers.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["builds_on"] == []
    summary = stream_append([again], appended, options=options)
    assert summary.updated_papers == 1 and summary.rerendered["jsonl"] == 2
    stream_build([*old, again], full, options=options)
    assert _files(appended) == _files(full)
    first = json.loads((appended / "papers.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert [(b["paper"], b["name"]) for b in first["builds_on"]] == [("2503.00001", "FooNet")]


def test_a_name_many_papers_claim_links_to_its_first_proposers_only(tmp_path: Path) -> None:
    _, _, title, abstract = PROPOSER
    claimants = [(f"2501.0001{i}", f"2025-01-1{i}", f"{title} {i}", abstract) for i in range(5)]
    corpus = _listings(tmp_path / "papers.jsonl", [*reversed(claimants), USER])
    graph = kg.build([corpus], engine=FAST).graph
    earlier = sorted(v for u, v, k in graph.edges(keys=True) if k == "buildsOn")
    assert earlier == [f"paper/2501.0001{i}" for i in range(3)]
