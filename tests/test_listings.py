"""Real listings read faithfully: ids, authors, dates, categories and links (issue 17), on
fixtures shaped as the arXiv API, an arXiv CSV dump and the Hugging Face daily-papers API
write them (tests/data/listings/README.md)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, SKOS

from kg.engine import EngineOptions
from kg.extract import extract_papers, load_nlp
from kg.extract.links import classify
from kg.ingest import read_file, read_paths
from kg.ingest.csv_reader import authors_separator, split_authors
from kg.ingest.ids import arxiv_id, paper_id
from kg.model import Paper
from kg.stream import stream_build

LISTINGS = Path(__file__).parent / "data" / "listings"
ATOM, CSV, HF = (
    LISTINGS / n for n in ("arxiv_api.xml", "arxiv_metadata.csv", "hf_daily_papers.json")
)
KG = rdflib.Namespace("https://w3id.org/kg-ml/ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("listings")
    stream_build([LISTINGS], out, options=EngineOptions(fast=True))
    return out


def _records(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    lines = (out / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://arxiv.org/abs/cond-mat/0412498v1", ("cond-mat/0412498", 1)),
        ("cs/0503050", ("cs/0503050", None)),
        ("hep-ph/0301050v2", ("hep-ph/0301050", 2)),
        ("http://arxiv.org/abs/gr-qc/0103067v1", ("gr-qc/0103067", 1)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
        ("arxiv.org/pdf/2505.24878v1", ("2505.24878", 1)),
        ("https://arxiv.org/pdf/2505.24878v3.pdf", ("2505.24878", 3)),
        ("arXiv:2406.18629", ("2406.18629", None)),
        ("http://arxiv.org/api/kgtest", None),
        ("12345.678901", None),
    ],
)
def test_arxiv_ids_old_and_new_style(raw: str, expected: tuple[str, int | None] | None) -> None:
    assert arxiv_id(raw) == expected


def test_atom_entries_keep_old_style_ids_version_and_metadata() -> None:
    papers = {p.id: p for p in read_file(ATOM)}
    assert sorted(papers) == ["2505.24878", "cond-mat/0412498", "hep-ph/0301050"]
    spin = papers["cond-mat/0412498"]
    assert spin.version == 1 and spin.updated == "2004-12-20T11:02:31Z"
    assert spin.categories == ["cond-mat.dis-nn", "cond-mat.stat-mech"]
    assert spin.doi == "10.1103/PhysRevB.00.000000"
    assert spin.journal_ref == "Phys. Rev. B 00, 000000 (2005)"
    assert spin.pdf_url == "http://arxiv.org/pdf/cond-mat/0412498v1"
    assert spin.affiliations == {"Ada Example": "University of Somewhere"}
    assert spin.comment is not None and spin.comment.startswith("12 pages")
    assert papers["hep-ph/0301050"].version == 2


@pytest.mark.parametrize(
    ("cells", "sep", "first"),
    [
        (["Dana Demo, Eli Example", "Fay Fixture"], ",", ["Dana Demo", "Eli Example"]),
        (["Xin Lai; Zhuotao Tian", "A, B"], ";", ["Xin Lai", "Zhuotao Tian"]),
        (["Ann One|Bob Two"], "|", ["Ann One", "Bob Two"]),
        (
            ["Fay Fixture, Gus Given and Hal Holder"],
            ",",
            ["Fay Fixture", "Gus Given", "Hal Holder"],
        ),
    ],
)
def test_csv_author_separator_is_detected(cells: list[str], sep: str, first: list[str]) -> None:
    assert authors_separator(cells) == sep
    assert split_authors(cells[0], sep) == first


def test_csv_reads_comma_separated_authors_and_says_so(tmp_path: Path) -> None:
    notes: list[str] = []
    papers = read_file(CSV, notes=notes)
    assert papers[0].authors == ["Dana Demo", "Eli Example"]
    assert papers[1].authors == ["Fay Fixture", "Gus Given", "Hal Holder"]
    assert notes == ["arxiv_metadata.csv: authors read as separated by ','"]
    done = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(CSV), "--out", str(tmp_path), "--fast"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "authors read as separated by ','" in done.stderr


def test_csv_arxiv_links_give_the_arxiv_id_version_and_categories() -> None:
    grid, tiny = read_file(CSV)
    assert (grid.id, grid.version) == ("2505.24878", 1)
    assert tiny.id == "2506.00011" and tiny.version == 2  # from its pdf_url alone
    assert grid.categories == ["cs.LG", "cs.AI"]
    assert grid.listings[0].date == "2025-05-30"


def test_the_same_paper_in_three_formats_is_one_paper() -> None:
    papers, listings = read_paths([ATOM, CSV, HF])
    assert listings == 6
    grid = [p for p in papers if p.title.startswith("GridNet")]
    assert len(grid) == 1 and grid[0].id == "2505.24878"
    assert sorted(li.source for li in grid[0].listings) == [
        "arxiv_api.xml",
        "arxiv_metadata.csv",
        "hf_daily_papers.json",
    ]


def test_hf_daily_papers_listing_date_is_the_outer_date() -> None:
    (paper,) = read_file(HF)
    assert paper.listings[0].date == "2025-06-02"  # the day it was on the daily list
    assert paper.published == "2025-05-30T17:59:59.000Z"  # the arXiv date
    assert (paper.upvotes, paper.num_comments, paper.submitter) == (42, 2, "submitter9")
    assert paper.thumbnail is not None and paper.thumbnail.endswith("2505.24878.png")
    assert paper.handles == {"Dana Demo": "danademo"}


def test_arxiv_comment_links_are_extracted_with_their_own_field() -> None:
    spin = next(p for p in read_file(ATOM) if p.id == "cond-mat/0412498")
    (x,) = extract_papers([spin], load_nlp(model=False))
    (link,) = [li for li in x.links if "spinrelax" in li.url]
    assert link.kind == "code" and link.evidence is not None
    assert link.evidence.field == "comment"
    assert spin.comment is not None
    assert spin.comment[link.evidence.start : link.evidence.end] == link.url


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://huggingface.co/datasets/acme/gridbench", "dataset"),
        ("https://huggingface.co/acme/gridnet-1b", "model"),
        ("https://huggingface.co/spaces/acme/gridnet-demo", "code"),
        ("https://huggingface.co/acme", "project"),
        ("https://huggingface.co/papers/2505.24878", None),
        ("https://huggingface.co/datasets", None),
        ("https://github.com/acme/gridnet", "code"),
    ],
)
def test_hugging_face_urls_are_typed(url: str, kind: str | None) -> None:
    found = classify(url)
    assert (found[0] if found else None) == kind


def test_dataset_and_model_urls_are_their_own_links_and_name_the_dataset(built: Path) -> None:
    grid = _records(built)["2505.24878"]
    assert grid["dataset_urls"] == ["https://huggingface.co/datasets/acme/gridbench"]
    assert grid["model_urls"] == ["https://huggingface.co/acme/gridnet-1b"]
    assert grid["code_urls"] == ["https://github.com/acme/gridnet"]
    assert grid["project_urls"] == ["https://acme.github.io/gridnet"]  # from the comment
    graph = rdflib.Graph().parse(built / "graph.ttl")
    described = {str(o) for o in graph.objects(None, KG.describes)}
    assert described == {"https://w3id.org/kg-ml/id/dataset/gridbench"}


def test_authors_and_categories_are_nodes_in_every_export(built: Path) -> None:
    graph = rdflib.Graph().parse(built / "graph.ttl")
    spin = rdflib.URIRef("https://w3id.org/kg-ml/id/paper/cond-mat-0412498")
    names = {str(graph.value(a, SCHEMA.name)) for a in graph.objects(spin, SCHEMA.author)}
    assert names == {"Ada Example", "Bo Sample"}
    subjects = {str(graph.value(c, SKOS.prefLabel)) for c in graph.objects(spin, DCTERMS.subject)}
    assert subjects == {"cond-mat.dis-nn", "cond-mat.stat-mech"}
    primary = graph.value(spin, KG.primaryCategory)
    assert str(graph.value(primary, SKOS.prefLabel)) == "cond-mat.dis-nn"
    assert int(graph.value(spin, KG.arxivVersion)) == 1  # type: ignore[arg-type]
    with (built / "neo4j" / "rels_authored_Author_Paper.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    dana = [r for r in rows if r[":START_ID(Author)"] == "author/dana-demo"]
    assert [(r[":END_ID(Paper)"], r["position:long"]) for r in dana] == [("paper/2505.24878", "1")]
    gexf = (built / "graph.gexf").read_text(encoding="utf-8")
    assert 'label="Ada Example"' in gexf and 'label="cond-mat.dis-nn"' in gexf
    # Co-authors are derivable: two authors share a paper.
    coauthors = [r for r in rows if r[":END_ID(Paper)"] == "paper/2505.24878"]
    assert len(coauthors) == 2


def test_the_exports_conform_to_the_shapes(built: Path) -> None:
    from pyshacl import validate

    root = Path(__file__).resolve().parent.parent / "kg"
    conforms, _, report = validate(
        rdflib.Graph().parse(built / "graph.ttl"),
        shacl_graph=rdflib.Graph().parse(root / "shapes.ttl"),
        ont_graph=rdflib.Graph().parse(root / "ontology.ttl"),
    )
    assert conforms, report


def test_names_are_not_cut_at_a_parenthesis_without_a_space() -> None:
    nlp = load_nlp(model=False)
    spaced, tight = (
        Paper(
            "x",
            "T",
            f"We propose LOGO{gap}(Long-context aliGnment via preference Optimization), "
            f"a training strategy for long-context models{gap}(LCMs).",
        )
        for gap in (" ", "")
    )
    (a,) = extract_papers([spaced], nlp)
    (b,) = extract_papers([tight], nlp)
    assert not any("(" in m.text for m in b.mentions)
    assert {m.text for m in b.mentions} == {m.text for m in a.mentions}
    assert {(ab.short, ab.long) for ab in b.abbreviations} == {
        (ab.short, ab.long) for ab in a.abbreviations
    }
    assert "LOGO" in {m.text for m in b.mentions}


def test_paper_ids_without_arxiv_stay_stable() -> None:
    assert paper_id("A Title") == paper_id("a  title!")
    assert paper_id("T", "my-id 7") == "my-id-7"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_canned_queries_answer_by_author_and_by_upvotes(built: Path, store: str) -> None:
    from kg.query import bind, load_query, open_graph, run
    from kg.query.canned import QUERIES_DIR, resolve_params

    graph = open_graph(built, store)  # type: ignore[arg-type]

    def ask(name: str, **params: str) -> list[tuple[object, ...]]:
        query = load_query(QUERIES_DIR / f"{name}.rq")
        return [
            tuple(row)
            for row in run(graph, bind(query.text, resolve_params(query, params))).values()
        ]

    assert ask("author-methods", author="Ada Example") == [
        ("SpinRelax", "proposes", "cond-mat/0412498", "Spin Glass Relaxation in Random Networks")
    ]
    (row,) = ask("author-results", author="Dana Demo")
    assert row[:2] == ("2505.24878", 71.2) and row[-2:] == ("GridBench", "accuracy")
    (top,) = ask("most-upvoted")
    assert top[:3] == (42, 2, "2505.24878") and top[-1] == "https://github.com/acme/gridnet"
    assert ask("most-upvoted", min="43") == []
