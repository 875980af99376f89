"""The interactive HTML view: offline, deterministic, safe, and driven in headless Chromium.

Browser tests use Debian's ``chromium`` and ``chromium-driver`` (installed by ``.ci/run``);
screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.api import KnowledgeGraph
from kg.cli import cli
from kg.errors import KgError
from kg.view import (
    construct_view,
    file_subgraph,
    find_node,
    neighbourhood,
    reduce_view,
    view_html,
    write_view,
)
from kg.view.details import MAX_EVIDENCE
from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
XSS_TITLE = "<img src=x onerror=alert(1)>"
RECORDS = [
    {
        "id": "2401.00001",
        "title": XSS_TITLE,
        "summary": "We propose StepMath, a prompting method that improves accuracy on GSM8K by "
        "5.0%. Code is at https://github.com/example/stepmath.",
        "publishedAt": "2024-01-02",
    },
    {
        "id": "2401.00002",
        "title": 'Tools for reasoning </script><script>window.__xss="script"</script>',
        "summary": "We evaluate Llama 3 and GPT-4 on GSM8K and MATH with chain-of-thought "
        "prompting.",
        "publishedAt": "2024-01-03",
    },
    {
        "id": "2401.00003",
        "title": "Direct Preference Optimization for math word problems",
        "summary": "We introduce Direct Preference Optimization (DPO) for mathematical "
        "reasoning; DPO achieves 70.8% accuracy on GSM8K.",
        "publishedAt": "2024-01-04",
    },
]


def page_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "no data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def small_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "papers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_graph(small_input: Path) -> KnowledgeGraph:
    return kg.build([small_input])


# ---- the file ---------------------------------------------------------------------------


def test_page_is_one_self_contained_file(seed_graph: KnowledgeGraph) -> None:
    html = view_html(seed_graph.graph, seed_graph.corpus)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html)
    assert "default-src 'none'" in html  # the browser refuses any request, belt and braces
    assert "@version 9.1.2" in html  # vis-network inlined from pyvis's package data
    data = page_data(html)
    assert len(data["nodes"]) == seed_graph.graph.number_of_nodes()
    assert len(data["edges"]) == seed_graph.graph.number_of_edges()


def test_output_is_byte_deterministic(seed_graph: KnowledgeGraph, tmp_path: Path) -> None:
    a = write_view(tmp_path / "a.html", seed_graph.graph, seed_graph.corpus)
    b = write_view(tmp_path / "b.html", seed_graph.graph.copy(), seed_graph.corpus)
    assert a.read_bytes() == b.read_bytes()


def test_untrusted_text_never_appears_as_markup(small_graph: KnowledgeGraph) -> None:
    html = view_html(small_graph.graph, small_graph.corpus)
    assert XSS_TITLE not in html and "<img" not in html
    assert html.count("</script>") == 3  # data, vis-network, view script: none injected
    titles = {d["title"] for d in page_data(html)["details"].values() if d["kind"] == "Paper"}
    assert XSS_TITLE in titles  # still there, as data


def test_paper_details_carry_mention_offsets(seed_graph: KnowledgeGraph) -> None:
    data = page_data(view_html(seed_graph.graph, seed_graph.corpus))
    papers = [d for d in data["details"].values() if d["kind"] == "Paper" and d["spans"]]
    assert papers
    for d in papers:
        for field, start, end, kind, node in d["spans"]:
            text = d[field]
            assert 0 <= start < end <= len(text)
            assert node is None or data["details"][node]["kind"] == kind
    gsm = data["details"]["dataset/gsm8k"]
    assert gsm["aliases"] and gsm["mentions"]
    assert all(data["sentences"][m[3]] for m in gsm["mentions"])


# ---- reduction, focus, CONSTRUCT ----------------------------------------------------------


def test_large_graph_starts_reduced(seed_graph: KnowledgeGraph) -> None:
    graph = seed_graph.graph
    n = graph.number_of_nodes()
    assert not reduce_view(graph, max_nodes=n).active
    r = reduce_view(graph, max_nodes=300)
    assert r.hidden_types[0] == "Result" and r.min_degree >= 2
    degree = dict(graph.degree())
    shown = [
        v
        for v, d in graph.nodes(data=True)
        if d["type"] not in r.hidden_types and degree[v] >= r.min_degree
    ]
    assert len(shown) == r.shown <= 300 < n
    assert f"showing {r.shown:,} of {n:,}" in r.message() and "Minimum degree" in r.message()


def test_a_big_graph_file_keeps_its_best_connected_nodes(seed_graph: KnowledgeGraph) -> None:
    graph = seed_graph.graph
    n = graph.number_of_nodes()
    assert file_subgraph(graph, max_nodes=n) == (graph, "")
    sub, note = file_subgraph(graph, max_nodes=400)
    assert sub.number_of_nodes() == 400 and f"400 best-connected of the graph's {n:,}" in note
    kinds = {d["type"] for _, d in sub.nodes(data=True)}
    assert "Paper" in kinds and "Result" not in kinds  # papers and entities before details
    degree = dict(graph.degree())
    kept_min = min(degree[v] for v, d in sub.nodes(data=True) if d["type"] == "Method")
    left = [degree[v] for v, d in graph.nodes(data=True) if d["type"] == "Method" and v not in sub]
    assert all(d <= kept_min for d in left)
    assert all(sub.has_edge(u, v) for u, v in graph.edges() if u in sub and v in sub)
    html = view_html(sub, seed_graph.corpus, note=note)
    assert "best-connected" in html


def test_evidence_rows_are_capped_while_collected(tmp_path: Path) -> None:
    n = MAX_EVIDENCE + 10
    rows = [
        {"title": f"Paper {i}", "summary": f"Model {i} reaches {50 + i / 10:.1f}% on CIFAR-10."}
        for i in range(n)
    ]
    listing = tmp_path / "many.jsonl"
    listing.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    graph = kg.build([listing], engine=kg.engine.EngineOptions(fast=True))
    data = page_data(view_html(graph.graph, graph.corpus))
    cifar = data["details"]["dataset/cifar-10"]
    assert len(cifar["mentions"]) == MAX_EVIDENCE and cifar["moreMentions"] == 10
    assert len(cifar["results"]) == MAX_EVIDENCE and cifar["moreResults"] == 10


def test_focus_is_the_neighbourhood(seed_graph: KnowledgeGraph) -> None:
    graph = seed_graph.graph
    center = find_node(graph, "gsm 8k")  # an alias, any case
    assert center == "dataset/gsm8k"
    sub = neighbourhood(graph, center, 2)
    expected = nx.ego_graph(graph.to_undirected(), center, radius=2)
    assert set(sub) == set(expected) and sub.graph["focus"] == center
    assert set(neighbourhood(graph, center, 0)) == {center}


def test_cli_focus_writes_one_neighbourhood(small_input: Path, tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    args = ["view", str(small_input), "--focus", "GSM8K", "--depth", "1", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert data["focus"] == "dataset/gsm8k"
    # GSM8K, the three papers evaluated on it and the results measured on it (the third names
    # it at the end of a sentence, "on GSM8K."); MATH is 2 hops away
    assert ids == {
        "dataset/gsm8k",
        "paper/2401.00001",
        "paper/2401.00002",
        "paper/2401.00003",
        "result/2401.00001/0",
        "result/2401.00003/0",
    }


def test_cli_unknown_focus_is_a_clear_error(small_input: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    args = ["view", str(small_input), "--focus", "GSM8", "-o", str(out)]
    result = CliRunner().invoke(cli, args, standalone_mode=False)
    assert isinstance(result.exception, KgError)
    assert "'GSM8'" in str(result.exception) and "did you mean: GSM8K" in str(result.exception)
    assert not out.exists()


CONSTRUCT = """
PREFIX kg: <https://w3id.org/kg-ml/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?paper kg:evaluatedOn ?d . ?paper kg:uses ?m }
WHERE { ?paper kg:evaluatedOn ?d . ?d skos:prefLabel "GSM8K" . OPTIONAL { ?paper kg:uses ?m } }
"""


def test_construct_feeds_the_view(seed_graph: KnowledgeGraph) -> None:
    graph = seed_graph.graph
    view = construct_view(graph, seed_graph.rdf, CONSTRUCT, seed_graph.base_iri)
    papers = {
        u for u, v, k in graph.edges(keys=True) if v == "dataset/gsm8k" and k == "evaluatedOn"
    }
    methods = {v for u, v, k in graph.edges(keys=True) if u in papers and k == "uses"}
    assert set(view) == papers | methods | {"dataset/gsm8k"}
    assert all(view.nodes[n]["type"] == graph.nodes[n]["type"] for n in view)
    assert {k for _, _, k in view.edges(keys=True)} <= {"evaluatedOn", "uses"}
    html = view_html(view, seed_graph.corpus)
    assert page_data(html)["details"]["dataset/gsm8k"]["aliases"]


def test_cli_construct_writes_its_view(small_input: Path, tmp_path: Path) -> None:
    rq, out = tmp_path / "q.rq", tmp_path / "c.html"
    rq.write_text(CONSTRUCT, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["view", str(small_input), "--construct", str(rq), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == {
        "dataset/gsm8k",
        "paper/2401.00001",
        "paper/2401.00002",
        "paper/2401.00003",
        "method/llama-3",
        "method/gpt-4",
        "method/chain-of-thought",
        "method/dpo",
    }
    assert {e["rel"] for e in data["edges"]} == {"evaluatedOn", "uses"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "needs a CONSTRUCT query, not SELECT"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p", "bad SPARQL query"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s <urn:nothing> ?o }", "returned no triples"),
    ],
)
def test_cli_bad_construct_exits_2(
    small_input: Path, tmp_path: Path, query: str, message: str
) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(query, encoding="utf-8")
    args = ["view", str(small_input), "--construct", str(rq), "-o", str(tmp_path / "c.html")]
    result = CliRunner().invoke(cli, args, standalone_mode=False)
    assert isinstance(result.exception, KgError)
    assert str(result.exception).startswith(f"{rq}: ") and message in str(result.exception)


# ---- in a real browser ---------------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="needs Debian chromium and chromium-driver (.ci/run)"
)


class Page:
    """A view opened in headless Chromium, with its console and network logs."""

    def __init__(self, driver: Any, path: Path) -> None:
        self.driver, self.url = driver, path.resolve().as_uri()
        driver.get("about:blank")
        driver.get_log("browser"), driver.get_log("performance")  # drain
        driver.get(self.url)
        self.wait("window.kgView && kgView.settled")

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait(self, condition: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while not self.js(f"return !!({condition})"):
            assert time.monotonic() < end, f"timed out waiting for {condition}"
            time.sleep(0.05)

    def errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def requests(self) -> list[str]:
        """URLs this page asked for, other than itself."""
        urls = []
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                url = msg["params"]["request"]["url"]
                if msg["params"].get("documentURL") == self.url and url != self.url:
                    urls.append(url)
        return urls

    def visible(self, kind: str | None = None) -> list[str]:
        return self.js(  # type: ignore[no-any-return]
            "return kgView.nodes.get({filter: n => !n.hidden && (!arguments[0] || n.kind === arguments[0])})"
            ".map(n => n.id)",
            kind,
        )

    def click_node(self, node: str) -> None:
        """A real mouse click at the node's position on the canvas."""
        from selenium.webdriver.common.action_chains import ActionChains

        self.js("kgView.network.focus(arguments[0], {scale: 1.5})", node)
        x, y = self.js(
            "const p = kgView.network.getPositions([arguments[0]])[arguments[0]];"
            "const d = kgView.network.canvasToDOM(p); return [d.x, d.y];",
            node,
        )
        canvas = self.driver.find_element("css selector", "#network canvas")
        w, h = canvas.size["width"], canvas.size["height"]
        ActionChains(self.driver).move_to_element_with_offset(
            canvas, int(x - w / 2), int(y - h / 2)
        ).pause(0.3).click().perform()

    def panel(self) -> str:
        return self.driver.find_element("id", "panel").text  # type: ignore[no-any-return]

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.driver.save_screenshot(str(path))
        return path


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM or ""
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER or ""), options=opts)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def seed_page(
    driver: Any, seed_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Page:
    path = tmp_path_factory.mktemp("page") / "graph.html"
    seed_graph.export(path.parent, ["html"])
    return Page(driver, path)


@browser
@pytest.mark.browser
def test_seed_page_loads_offline_without_errors(
    seed_page: Page, seed_graph: KnowledgeGraph
) -> None:
    assert seed_page.errors() == []
    assert seed_page.requests() == []
    assert seed_page.js("return kgView.violations") == []
    n, m = seed_graph.graph.number_of_nodes(), seed_graph.graph.number_of_edges()
    assert seed_page.js("return kgView.nodes.length") == n
    assert len(seed_page.visible()) == n
    stats = seed_page.driver.find_element("id", "stats").text
    assert stats == f"{n:,} of {n:,} nodes, {m:,} of {m:,} edges shown"
    seed_page.shot("view-seed.png")


@browser
@pytest.mark.browser
def test_layout_is_frozen_once_stable(seed_page: Page) -> None:
    assert seed_page.js("return kgView.network.physics.options.enabled") is False
    before = seed_page.js("return kgView.network.getPositions()")
    time.sleep(0.6)
    assert seed_page.js("return kgView.network.getPositions()") == before


@browser
@pytest.mark.browser
def test_search_by_alias_focuses_the_node(seed_page: Page) -> None:
    box = seed_page.driver.find_element("id", "search-input")
    box.clear()
    box.send_keys("gsm 8k\n")  # an alias, lower case
    seed_page.wait("kgView.panelNode === 'dataset/gsm8k'")
    assert seed_page.js("return kgView.network.getSelectedNodes()") == ["dataset/gsm8k"]
    text = seed_page.panel()
    assert "GSM8K" in text and "ALIASES" in text and "MENTIONED IN" in text
    box.clear()
    box.send_keys("no such thing at all\n")
    assert "No node named" in seed_page.driver.find_element("id", "search-message").text


@browser
@pytest.mark.browser
def test_click_opens_the_paper_panel(seed_page: Page, seed_graph: KnowledgeGraph) -> None:
    paper = max(
        (n for n, d in seed_graph.graph.nodes(data=True) if d["type"] == "Paper"),
        key=lambda n: seed_graph.graph.degree(n),
    )
    seed_page.js("kgView.network.unselectAll(); document.getElementById('panel').hidden = true;")
    seed_page.click_node(paper)
    seed_page.wait(f"kgView.panelNode === {json.dumps(paper)}")
    title = seed_graph.graph.nodes[paper]["title"]
    assert seed_page.driver.find_element("css selector", "#panel h3").text == title
    marks = seed_page.js(
        "return [...document.querySelectorAll('#panel mark')].map(m => m.textContent)"
    )
    assert marks, "abstract mentions are highlighted"
    seed_page.shot("view-paper-panel.png")


@browser
@pytest.mark.browser
def test_filters_hide_types_relations_and_low_degree(
    seed_page: Page, seed_graph: KnowledgeGraph
) -> None:
    graph = seed_graph.graph
    seed_page.js("kgView.showAll()")
    box = seed_page.driver.find_element("css selector", "#type-filters input[data-key=Method]")
    box.click()
    assert seed_page.visible("Method") == []
    assert len(seed_page.visible()) == sum(
        1 for _, d in graph.nodes(data=True) if d["type"] != "Method"
    )
    hidden_edges = seed_page.js(
        "return kgView.edges.get({filter: e => !e.hidden && e.rel === 'uses'}).length"
    )
    assert hidden_edges == 0
    box.click()
    rel = seed_page.driver.find_element("css selector", "#rel-filters input[data-key=reports]")
    rel.click()
    assert (
        seed_page.js(
            "return kgView.edges.get({filter: e => !e.hidden && e.rel === 'reports'}).length"
        )
        == 0
    )
    rel.click()
    font = "return kgView.network.body.edges['e0'].labelModule.fontOptions.size"
    assert seed_page.js(font) == 0  # relation names hidden by default, colours carry the type
    seed_page.driver.find_element("id", "edge-labels").click()
    assert seed_page.js(font) > 0 and seed_page.js("return kgView.edges.get('e0').label")
    seed_page.driver.find_element("id", "edge-labels").click()
    assert seed_page.js(font) == 0
    seed_page.js(
        "const s = document.getElementById('min-degree'); s.value = '3';"
        "s.dispatchEvent(new Event('input'));"
    )
    degree = dict(graph.degree())
    assert set(seed_page.visible()) == {n for n in graph if degree[n] >= 3}
    seed_page.js("kgView.showAll()")
    assert len(seed_page.visible()) == graph.number_of_nodes()


@browser
@pytest.mark.browser
def test_reduced_view_says_what_is_hidden(
    driver: Any, seed_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path = write_view(tmp_path / "big.html", seed_graph.graph, seed_graph.corpus, max_nodes=300)
    page = Page(driver, path)
    r = reduce_view(seed_graph.graph, 300)
    notice = driver.find_element("id", "notice")
    assert notice.is_displayed() and r.message() in notice.text
    assert len(page.visible()) == r.shown and page.visible("Result") == []
    page.shot("view-reduced.png")
    driver.find_element("id", "show-all").click()
    assert len(page.visible()) == seed_graph.graph.number_of_nodes()
    assert not notice.is_displayed()
    positions = page.js(
        "return Object.values(kgView.network.getPositions()).map(p => [Math.round(p.x), Math.round(p.y)])"
    )
    assert len({tuple(p) for p in positions}) > 0.95 * len(positions)  # newcomers are spread out
    assert page.errors() == [] and page.requests() == []


@browser
@pytest.mark.browser
def test_untrusted_titles_stay_inert(
    driver: Any, small_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains

    page = Page(driver, write_view(tmp_path / "xss.html", small_graph.graph, small_graph.corpus))
    page.js("kgView.select('paper/2401.00001')")
    assert XSS_TITLE in page.panel()
    page.click_node("paper/2401.00002")
    page.wait("kgView.panelNode === 'paper/2401.00002'")
    assert '</script><script>window.__xss="script"</script>' in page.panel()
    ActionChains(driver).move_by_offset(1, 0).pause(1.0).perform()  # hover: the vis tooltip
    page.wait("document.querySelector('.vis-tooltip').style.visibility === 'visible'")
    tooltip = page.js("return document.querySelector('.vis-tooltip').textContent")
    assert tooltip.startswith('Tools for reasoning </script><script>window.__xss="script"</script>')
    page.shot("view-xss.png")
    assert page.js("return document.querySelectorAll('img').length") == 0
    assert page.js("return window.__xss === undefined") is True
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert page.errors() == [] and page.requests() == []
