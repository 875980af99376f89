"""Read listings as a stream of unique papers without holding the corpus in memory.

Duplicates can be far apart, so three passes over the files keep memory to a few integers
per listing: (1) the duplicate key of every listing, (2) the members of repeated papers only,
merged, (3) every paper in input order. JSON Lines files are read line by line; other
formats one file at a time (so the largest such file bounds memory)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest import expand_paths, merge_papers, read_file
from kg.ingest.dedup import _merge_into
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


def iter_listings(paths: Iterable[str | Path], fmt: str | None = None) -> Iterator[Paper]:
    """Every listing of every input file, in order (duplicates not merged)."""
    for path in expand_paths(paths):
        if fmt == "jsonl" or (fmt is None and path.suffix.lower() in LINE_FORMATS):
            yield from _jsonl_lines(path)
        else:
            yield from read_file(path, fmt)


def _keyed(listings: Iterable[Paper]) -> Iterator[tuple[Paper, int]]:
    """Each listing with its duplicate key (as ``merge_papers`` computes it) as a 64-bit int."""
    by_arxiv: dict[str, str] = {}
    for paper in listings:
        key = title_key(paper.title)
        if ARXIV_ID.fullmatch(paper.id):
            key = by_arxiv.setdefault(paper.id, key)
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        yield paper, int.from_bytes(digest, "big")


class PaperStream:
    """Re-iterable unique papers of ``paths``, in the order ``read_paths`` gives them."""

    def __init__(self, paths: Iterable[str | Path], fmt: str | None = None) -> None:
        self.paths = list(paths)
        self.fmt = fmt
        self.first: dict[int, int] = {}
        self.repeated: set[int] = set()
        self.listings = 0
        for index, (_, key) in enumerate(_keyed(iter_listings(self.paths, fmt))):
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
                _merge_into(merged[key], paper)
            else:
                merged[key] = merge_papers([paper])[0]
        return merged

    def __iter__(self) -> Iterator[Paper]:
        merged = self._merged()
        for index, (paper, key) in enumerate(_keyed(iter_listings(self.paths, self.fmt))):
            if key in self.repeated:
                if self.first[key] == index:
                    yield merged.pop(key)
            else:
                yield merge_papers([paper])[0]
