"""Read listings as a stream of unique papers without holding the corpus in memory.

Duplicates can be far apart, so three passes over the files keep memory to a few integers
per listing: (1) the duplicate key of every listing, (2) the members of repeated papers only,
merged, (3) every paper in input order. JSON Lines files are read line by line; other
formats one file at a time (so the largest such file bounds memory)."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest import expand_paths, merge_papers, read_file
from kg.ingest.dedup import merge_into
from kg.ingest.hf_json import paper_from_line
from kg.ingest.ids import ARXIV_ID, title_key
from kg.model import Paper

LINE_FORMATS = {".jsonl", ".ndjson"}


def _jsonl_lines(path: Path) -> Iterator[Paper]:
    """``read_jsonl`` one line at a time, with the same errors."""
    found = False
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise InputError(
                    str(path), f"invalid UTF-8 (byte 0x{raw[err.start]:02x})", number
                ) from err
            paper = paper_from_line(path, number, line)
            if paper is not None:
                found = True
                yield paper
    if not found:
        raise InputError(str(path), "file is empty")


def iter_listings(
    paths: Iterable[str | Path], fmt: str | None = None, notes: list[str] | None = None
) -> Iterator[Paper]:
    """Every listing of every input file, in order (duplicates not merged); what readers
    assumed goes to ``notes``."""
    for path in expand_paths(paths):
        if fmt == "jsonl" or (fmt is None and path.suffix.lower() in LINE_FORMATS):
            yield from _jsonl_lines(path)
        else:
            yield from read_file(path, fmt, notes)


def duplicate_key(paper: Paper, by_arxiv: dict[str, int]) -> int:
    """The listing's duplicate key (as ``merge_papers`` computes it) as a 64-bit int:
    its folded title, or that of the first listing with its arXiv id (``by_arxiv``)."""
    digest = hashlib.blake2b(title_key(paper.title).encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big")
    if ARXIV_ID.fullmatch(paper.id):
        key = by_arxiv.setdefault(paper.id, key)
    return key


def _keyed(
    listings: Iterable[Paper], by_arxiv: dict[str, int] | None = None
) -> Iterator[tuple[Paper, int]]:
    """Each listing with its duplicate key."""
    by_arxiv = {} if by_arxiv is None else by_arxiv
    for paper in listings:
        yield paper, duplicate_key(paper, by_arxiv)


class PaperStream:
    """Re-iterable unique papers of ``paths``, in the order ``read_paths`` gives them."""

    def __init__(self, paths: Iterable[str | Path], fmt: str | None = None) -> None:
        self.paths = list(paths)
        self.fmt = fmt
        self.keys = array("Q")  # each paper's duplicate key, as the papers are yielded
        self.by_arxiv: dict[str, int] = {}
        self.first: dict[int, int] = {}
        self.repeated: set[int] = set()
        self.listings = 0
        self.notes: list[str] = []  # what the readers assumed (first pass)
        for index, (_, key) in enumerate(_keyed(iter_listings(self.paths, fmt, self.notes))):
            self.listings += 1
            if self.first.setdefault(key, index) != index:
                self.repeated.add(key)

    def __len__(self) -> int:
        return len(self.first)

    def _merged(self) -> dict[int, Paper]:
        merged: dict[int, Paper] = {}
        if not self.repeated:
            return merged
        for paper, key in _keyed(iter_listings(self.paths, self.fmt)):
            if key not in self.repeated:
                continue
            if key in merged:
                merge_into(merged[key], paper)
            else:
                merged[key] = merge_papers([paper])[0]
        return merged

    def __iter__(self) -> Iterator[Paper]:
        merged = self._merged()
        self.keys, self.by_arxiv = array("Q"), {}
        keyed = _keyed(iter_listings(self.paths, self.fmt), self.by_arxiv)
        for index, (paper, key) in enumerate(keyed):
            if key in self.repeated:
                if self.first[key] == index:
                    self.keys.append(key)
                    yield merged.pop(key)
            else:
                self.keys.append(key)
                yield merge_papers([paper])[0]
