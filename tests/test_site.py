"""The research site (issue 16): pages served by ``kg serve`` and written by ``kg site``, read
from ``site.db``; searched, followed and rendered in a real browser."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.api import KnowledgeGraph
from kg.engine import EngineOptions
from kg.export.site_db import trend
from kg.query import open_graph
from kg.serve import Endpoint, make_server
from kg.serve.endpoint import serve_in_thread
from kg.serve.pages import Pages
from kg.site import connect, write_site
from kg.site import data as site_data
from kg.site.data import fts_query, highlighted
from tests.test_view import ARTIFACTS, browser, driver  # noqa: F401  (the Chromium fixture)

HOSTILE = [
    {
        "title": "<script>alert('t')</script> ScriptNet",
        "summary": "We propose ScriptNet, "
        "reaching 91.5% accuracy on CIFAR-10. Code: https://github.com/x/scriptnet",
    },
    {
        "title": 'Quote"><img src=x onerror=alert(1)> Net',
        "summary": 'Our "><img src=y onerror=alert(2)> method reaches 80.1% accuracy on CIFAR-10.',
    },
]


def _serve(folder: Path) -> Iterator[str]:
    endpoint = Endpoint(open_graph(folder, "oxigraph"))
    server = make_server(folder, endpoint, port=0)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        endpoint.close()


@pytest.fixture(scope="module")
def site_exports(seed_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site-exports")
    hostile = out.parent / "hostile.jsonl"
    hostile.write_text("".join(json.dumps(r) + "\n" for r in HOSTILE), encoding="utf-8")
    graph = kg.build(["seeds/", hostile], engine=EngineOptions(fast=True))
    graph.export(out)
    return out


@pytest.fixture(scope="module")
def base(site_exports: Path) -> Iterator[str]:
    yield from _serve(site_exports)


def _get(url: str, accept: str | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode("utf-8")


def test_site_db_is_deterministic_and_indexed(site_exports: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    kg.build(
        ["seeds/", site_exports.parent / "hostile.jsonl"], engine=EngineOptions(fast=True)
    ).export(again, ["site"])
    assert (again / "site.db").read_bytes() == (site_exports / "site.db").read_bytes()


def test_every_page_query_reads_by_index(site_exports: Path) -> None:
    """No page scans a whole table that grows with the corpus: each statement a page runs is
    planned on an index (so page time stays flat as papers are added)."""
    db = connect(str(site_exports / "site.db"))
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    ids = {
        t: db.execute(
            "SELECT id FROM entity WHERE type = ? ORDER BY papers DESC LIMIT 1", (t,)
        ).fetchone()[0]
        for t in ("Dataset", "Method", "Metric", "Task")
    }
    paper_id = db.execute("SELECT paper FROM result ORDER BY paper LIMIT 1").fetchone()[0]
    statements.clear()
    site_data.home(db)
    for eid in ids.values():
        site_data.entity(db, eid, page=2)
    site_data.paper(db, paper_id)
    db.set_trace_callback(None)
    assert len(statements) > 15
    big = ("paper", "result", "uses", "outperforms", "entity")
    for sql in statements:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
        full_scans = [step for step in plan if step.split()[:2] in (["SCAN", t] for t in big)]
        full_scans = [step for step in full_scans if "INDEX" not in step]
        assert not full_scans, (sql, plan)
    assert site_data.entity(db, ids["Dataset"])["trend"], "the trend strip is kept per entity"


def test_search_ranks_names_first_and_is_typed(base: str) -> None:
    status, media, body = _get(f"{base}/search.json?q=cifar+10")
    hits = json.loads(body)["hits"]
    assert status == 200 and media.startswith("application/json")
    assert hits[0] == {**hits[0], "kind": "Dataset", "id": "dataset/cifar-10", "name": "CIFAR-10"}
    assert any(h["kind"] == "paper" for h in hits)
    assert fts_query('" OR x') == '"OR"* "x"*'  # user text cannot inject FTS syntax
    assert json.loads(_get(f"{base}/search.json?q=%22%29%28")[2])["hits"] == []


def test_dataset_leaderboard_is_best_first_with_evidence_and_code(base: str) -> None:
    page = json.loads(_get(f"{base}/dataset/cifar-10.json")[2])
    assert page["type"] == "Dataset" and "CIFAR10" in page["aliases"]
    fid = next(b for b in page["leaderboards"] if b["metric"]["name"] == "FID")
    values = [r["value"] for r in fid["rows"]]
    assert fid["better"] == "lower" and values == sorted(values) and values[0] == 1.38
    top = fid["rows"][0]  # (Uni-Instruct: "FID values of \emph{1.46} ... and \emph{1.38}")
    assert top["method"]["name"] == "Uni-Instruct"
    assert top["evidence"][1] == "1.38" and "CIFAR10" in top["evidence"][0]
    accuracy = next(b for b in page["leaderboards"] if b["metric"]["name"] == "accuracy")
    assert accuracy["better"] == "higher"
    acc = [r["value"] for r in accuracy["rows"]]
    assert acc == sorted(acc, reverse=True)
    assert all(not r["conflicts"] or r["paper"] for b in page["leaderboards"] for r in b["rows"])
    html = _get(f"{base}/dataset/cifar-10/")[2]
    assert "<mark>1.38</mark>" in html and "lower is better" in html


def test_conflicting_claims_come_from_other_papers_only(base: str) -> None:
    page = json.loads(_get(f"{base}/dataset/cifar-10.json")[2])
    for board in page["leaderboards"]:
        by = {}
        for r in board["rows"]:
            by.setdefault(r["method"]["id"] if r["method"] else None, set()).add(
                (r["paper"]["id"], r["value"])
            )
        for r in board["rows"]:
            if r["method"] is None:
                assert r["conflicts"] == []
                continue
            others = {
                v for p, v in by[r["method"]["id"]] if p != r["paper"]["id"] and v != r["value"]
            }
            assert set(r["conflicts"]) == others


def test_method_page_has_proposers_results_and_comparisons(base: str) -> None:
    page = json.loads(_get(f"{base}/method/step-dpo.json")[2])
    assert [p["title"][:8] for p in page["proposed_by"]] == ["Step-DPO"]
    assert {r["value"] for r in page["results"]} >= {70.8, 94.0}
    assert {c["method"]["name"] for c in page["outperforms"]} >= {"GPT-4-1106", "Claude-3-Opus"}
    beaten = json.loads(_get(f"{base}/method/claude-3-opus.json")[2])
    assert "Step-DPO" in {c["method"]["name"] for c in beaten["outperformed_by"]}


def test_paper_page_highlights_every_fact_in_place(base: str) -> None:
    status, _, html = _get(f"{base}/paper/tdfcfb3772387/")
    assert status == 200
    assert 'title="Method (proposed) · rules"' in html and '<mark class="fact result"' in html
    assert 'href="https://github.com/dvlab-research/Step-DPO"' in html
    page = json.loads(_get(f"{base}/paper/tdfcfb3772387", "application/json")[2])
    text = "".join(s["text"] for s in page["abstract_segments"])
    assert text.startswith("Mathematical reasoning presents")  # nothing lost or repeated
    assert {r["value"] for r in page["results"]} == {3.0, 70.8, 94.0}


def test_untrusted_text_is_escaped_everywhere(base: str) -> None:
    hits = json.loads(_get(f"{base}/search.json?q=scriptnet")[2])["hits"]
    paper = next(h for h in hits if h["kind"] == "paper")
    for url in (
        f"{base}/{paper['id']}/",
        f"{base}/search/?q=scriptnet",
        f"{base}/dataset/cifar-10/",
        f"{base}/search/?q=%3Cscript%3Ealert(1)%3C/script%3E",
    ):
        html = _get(url)[2]
        assert "<script>alert" not in html and "<img src" not in html, url
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in _get(f"{base}/{paper['id']}/")[2]


def test_pages_are_read_only_and_bounded(base: str, site_exports: Path) -> None:
    assert _get(f"{base}/dataset/no-such-thing/")[0] == 404
    assert _get(f"{base}/dataset/cifar-10/?page=abc")[0] == 200
    request = urllib.request.Request(f"{base}/dataset/cifar-10/", data=b"x=1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code == 404
    slow = Pages(site_exports / "site.db", timeout=-1.0)  # every query past its deadline
    status, body, _ = slow.answer("/dataset/cifar-10", "", None)  # type: ignore[misc]
    assert status == 503 and b"time limit" in body


def test_static_site_has_the_same_pages(site_exports: Path, tmp_path: Path, base: str) -> None:
    pages = write_site(site_exports, tmp_path / "site")
    site = tmp_path / "site"
    db = connect(str(site_exports / "site.db"))
    assert (
        pages
        == 2
        + db.execute("SELECT COUNT(*) FROM entity").fetchone()[0]
        + db.execute("SELECT COUNT(*) FROM paper").fetchone()[0]
    )
    static = json.loads((site / "dataset" / "cifar-10" / "index.json").read_text())
    assert static == json.loads(_get(f"{base}/dataset/cifar-10.json")[2])
    html = (site / "dataset" / "cifar-10" / "index.html").read_text()
    assert 'href="../../site.css"' in html and 'href="../../paper/' in html
    assert 'href="../../method/score-implicit-matching/index.html"' in html
    index = (site / "search-index.js").read_text()
    assert index.startswith("window.KG_INDEX = [") and "</script" not in index
    for link in ("../../method/score-implicit-matching/index.html",):
        assert (site / "dataset" / "cifar-10" / link).resolve().is_file()


def test_trend_and_highlight_helpers() -> None:
    assert trend(["2025-06-02", "2025-06-03", "2025-06-10", "Sep 17", "Sep 8", "soon"]) == [
        ["Sep 8", 1],
        ["Sep 17", 1],
        ["2025-W23", 2],
        ["2025-W24", 1],
    ]
    parts = highlighted(
        "GridNet beats X.",
        [
            ["abstract", 0, 7, "Method", "method/gridnet", "rules"],
            ["abstract", 2, 5, "Task", None, "rules"],
        ],
        "abstract",
    )
    assert [p["text"] for p in parts] == ["GridNet", " beats X."]


@browser
@pytest.mark.browser
def test_search_leaderboard_paper_and_code_in_a_browser(driver: Any, base: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/")
    assert "papers" in driver.find_element(By.CSS_SELECTOR, ".counts").text
    box = driver.find_element(By.ID, "q")
    box.send_keys("CIFAR-10")
    box.submit()
    first = driver.find_element(By.CSS_SELECTOR, "#hits li a")
    assert first.text == "CIFAR-10"
    first.click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "CIFAR-10"
    board = driver.find_element(By.CSS_SELECTOR, ".leaderboard")
    assert board.find_element(By.TAG_NAME, "h3").text.startswith("FID")
    row = board.find_element(By.CSS_SELECTOR, "tbody tr")
    assert row.find_element(By.CSS_SELECTOR, ".value").text == "1.38"
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "site-dataset.png"))
    code_row = next(
        r
        for r in board.find_elements(By.CSS_SELECTOR, "tbody tr")
        if r.find_elements(By.CSS_SELECTOR, "a.code")
    )
    code = code_row.find_element(By.CSS_SELECTOR, "a.code").get_attribute("href")
    paper = code_row.find_element(By.CSS_SELECTOR, "a.paper")
    title = paper.text
    paper.click()
    assert driver.find_element(By.CSS_SELECTOR, "h1.paper-title").text == title
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.code-link")]
    assert code in links  # the leaderboard's code link is the paper's repository
    marks = driver.find_elements(By.CSS_SELECTOR, ".abstract mark.fact")
    assert marks and all(m.get_attribute("title") for m in marks)
    driver.save_screenshot(str(ARTIFACTS / "site-paper.png"))
    png = (ARTIFACTS / "site-dataset.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 30_000  # a rendered page, not a blank one


@browser
@pytest.mark.browser
def test_hostile_titles_show_as_text_in_a_browser(driver: Any, base: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/search/?q=scriptnet")
    hits = driver.find_elements(By.CSS_SELECTOR, "#hits li")
    paper = next(h for h in hits if h.find_element(By.CSS_SELECTOR, ".kind").text == "PAPER")
    paper.find_element(By.TAG_NAME, "a").click()
    heading = driver.find_element(By.TAG_NAME, "h1").text
    assert "<script>alert('t')</script>" in heading
    assert (
        driver.execute_script("return document.querySelectorAll('main script, main img').length")
        == 0
    )


@browser
@pytest.mark.browser
def test_static_site_searches_offline(driver: Any, site_exports: Path, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    write_site(site_exports, tmp_path / "site")
    driver.get((tmp_path / "site" / "search" / "index.html").as_uri() + "?q=cifar")
    hits = driver.find_elements(By.CSS_SELECTOR, "#hits li a")
    assert hits and hits[0].text == "CIFAR-10"
    hits[0].click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "CIFAR-10"


@browser
@pytest.mark.browser
def test_graph_view_panel_links_to_the_page_and_back(driver: Any, base: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/graph.html")
    driver.execute_script("window.kgView.select('dataset/cifar-10')")
    link = driver.find_element(By.CSS_SELECTOR, "#panel a.site-page")
    assert link.get_attribute("href") == f"{base}/dataset/cifar-10/"
    link.click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "CIFAR-10"
    driver.find_element(By.LINK_TEXT, "Graph view").click()
    assert driver.current_url == f"{base}/graph.html"
