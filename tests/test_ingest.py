"""Reading every input format, merging duplicates, and rejecting bad input clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import detect_format, read_file, read_paths
from tests.conftest import INPUTS, SEEDS

STEP_DPO = "Step-DPO: Step-wise Preference Optimization for Long-chain Reasoning of LLMs"


def test_seed_listings_merge_into_unique_papers() -> None:
    papers, listings = read_paths([SEEDS])
    assert listings == 249
    assert len(papers) == 183
    step = next(p for p in papers if p.title == STEP_DPO)
    assert [(li.source, li.date) for li in step.listings] == [
        ("000_14174c13bc91e60d.txt", "Sep 17"),
        ("001_773ba0c7c8d03c94.txt", "Mar 11"),
        ("002_d6e33f24556469b2.txt", "Mar 14"),
        ("004_7cc1ee7e73a10f3e.txt", "Aug 13"),
    ]
    assert all(li.line and li.line > 0 for p in papers for li in p.listings)


def test_daily_dump_reads_header_date_and_pairs() -> None:
    papers = read_file(SEEDS / "000_14174c13bc91e60d.txt")
    assert len(papers) == 22
    assert papers[0].title.startswith("Step-Video-T2V Technical Report")
    assert papers[0].abstract.startswith("We present Step-Video-T2V")
    assert papers[0].listings[0].date == "Sep 17"
    assert papers[0].listings[0].line == 13


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("hf_daily.json", "json"),
        ("hf_papers.jsonl", "jsonl"),
        ("papers.csv", "csv"),
        ("arxiv.xml", "arxiv"),
    ],
)
def test_every_format_reads_the_same_papers(name: str, fmt: str) -> None:
    path = INPUTS / name
    assert detect_format(path, path.read_text()) == fmt
    papers = read_file(path)
    assert len(papers) == 2
    step = papers[0]
    assert step.title == STEP_DPO
    assert step.id == "2406.18629"
    assert "70.8% and 94.0%" in step.abstract
    assert step.abstract == " ".join(step.abstract.split())


def test_hf_records_keep_authors_dates_and_links() -> None:
    step, video = read_file(INPUTS / "hf_daily.json")
    assert step.authors == ["Xin Lai", "Zhuotao Tian"]
    assert step.published == "2024-06-26T17:43:06.000Z"
    assert step.code_urls == ["https://github.com/dvlab-research/Step-DPO"]
    assert video.project_urls == ["https://yuewen.cn/videos"]


def test_same_paper_from_several_formats_is_one_paper() -> None:
    papers, listings = read_paths([INPUTS, SEEDS / "000_14174c13bc91e60d.txt"])
    assert listings == 8 + 22
    step = [p for p in papers if p.title == STEP_DPO]
    assert len(step) == 1
    assert step[0].id == "2406.18629"  # the arXiv id wins over the title hash
    assert {li.source for li in step[0].listings} == {
        "arxiv.xml",
        "hf_daily.json",
        "hf_papers.jsonl",
        "papers.csv",
        "000_14174c13bc91e60d.txt",
    }


def test_format_can_be_forced(tmp_path: Path) -> None:
    path = tmp_path / "listing.data"
    path.write_text((INPUTS / "hf_papers.jsonl").read_text())
    assert len(read_file(path, "jsonl")) == 2


BAD_INPUTS = [
    ("empty.txt", "", None, "file is empty"),
    ("blank.jsonl", "\n\n  \n", None, "file is empty"),
    (
        "odd.txt",
        "new\n\nSep 17\n\nA title\n\nAn abstract.\n\nOrphan title\n",
        9,
        "odd number of title/abstract lines",
    ),
    ("nodate.txt", "new\n\nSubscribe\n\nA title\n\nAn abstract\n", 5, "expected a listing date"),
    ("shifted.txt", "Sep 17\n\n" + "x" * 500 + "\n", 3, "out of step"),
    ("broken.json", '[{"title": "A", "summary": "B"},\n {"title": "C", ', 2, "invalid JSON"),
    ("broken.jsonl", '{"title": "A", "summary": "B"}\n{"title": "C"\n', 2, "invalid JSON"),
    ("missing.jsonl", '{"title": "A", "summary": "B"}\n{"title": "C"}\n', 2, "'summary'"),
    ("nocol.csv", "title,body\nA,B\n", 1, "missing column(s) abstract"),
    ("emptycell.csv", "title,abstract\nA,B\nC,\n", 3, "empty 'abstract'"),
    ("ragged.csv", "title,abstract\nA,B\nC,D,E\n", 3, "expected 2 fields"),
    ("bad.xml", "<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry>\n</feed>", 3, "invalid XML"),
    ("notatom.xml", "<rss><channel/></rss>", 1, "not an arXiv Atom feed"),
]


@pytest.mark.parametrize(("name", "content", "line", "message"), BAD_INPUTS)
def test_bad_input_names_file_line_and_problem(
    tmp_path: Path, name: str, content: str, line: int | None, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"{path}:{line}:" if line else f"{path}:")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("new\n\nSep 17\n\nCaf\xe9 title\n\nabstract\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.line == 5
    assert "invalid UTF-8" in info.value.message


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_paths([tmp_path / "nope.txt"])
    with pytest.raises(InputError, match="no listing files"):
        read_paths([tmp_path])
