"""A content-keyed extraction cache in one SQLite file.

The key is a hash of what extraction reads (title, abstract, metadata URLs) and of the
extractor itself (its code, patterns, config, model and mode), so a rebuild re-extracts only
new or edited papers, and any change to the extractor invalidates the whole cache."""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import spacy

import kg.extract
from kg.model import Extraction, Paper

SCHEMA = "CREATE TABLE IF NOT EXISTS extraction (key BLOB PRIMARY KEY, value BLOB NOT NULL)"
SOURCES = ("*.py", "*.cfg", "patterns/*.jsonl")
MODEL = "model/**/*"  # read only with the statistical model (not --fast)


@cache
def extractor_fingerprint(fast: bool) -> bytes:
    """A digest of everything that decides what extraction returns (the shipped model's
    files only when it is used, so a new model keeps the rules-only cache valid)."""
    digest = hashlib.sha256(f"spacy={spacy.__version__};fast={fast}".encode())
    root = Path(kg.extract.__file__).parent
    patterns = SOURCES if fast else (*SOURCES, MODEL)
    files = sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()})
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


def paper_key(paper: Paper, fast: bool) -> bytes:
    """The cache key of a paper's extraction."""
    digest = hashlib.sha256(extractor_fingerprint(fast))
    parts = (paper.title, paper.abstract, *paper.code_urls, "\x1f", *paper.project_urls)
    for part in (*parts, "\x1f", paper.comment or ""):
        digest.update(part.encode() + b"\0")
    return digest.digest()[:20]


def _dump(x: Extraction) -> bytes:
    fields = (x.mentions, x.results, x.quantities, x.links, x.abbreviations, x.comparisons)
    return zlib.compress(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _load(paper: Paper, value: bytes) -> Extraction:
    fields = pickle.loads(zlib.decompress(value))
    mentions, results, quantities, links, abbreviations, comparisons = fields
    return Extraction(paper, mentions, results, quantities, links, abbreviations, comparisons)


class ExtractionCache:
    """``get`` the cached extractions of a batch of papers, ``put`` fresh ones."""

    def __init__(self, path: Path, fast: bool = False) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path / "extractions.sqlite"
        self.fast = fast
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(SCHEMA)
        self.hits = 0
        self.misses = 0

    def get(self, papers: Sequence[Paper]) -> list[Extraction | None]:
        """The cached extraction of each paper, or None."""
        keys = [paper_key(p, self.fast) for p in papers]
        found: dict[bytes, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, value FROM extraction WHERE key IN ({marks})"
            found.update(self.db.execute(sql, chunk).fetchall())
        out = [
            _load(p, found[k]) if k in found else None for p, k in zip(papers, keys, strict=True)
        ]
        hits = sum(x is not None for x in out)
        self.hits += hits
        self.misses += len(out) - hits
        return out

    def put(self, extractions: Sequence[Extraction]) -> None:
        rows = [(paper_key(x.paper, self.fast), _dump(x)) for x in extractions]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO extraction VALUES (?, ?)", rows)

    def close(self) -> None:
        self.db.close()
