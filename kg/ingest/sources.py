"""Turn the user's mix of files and folders into papers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import InputError
from kg.ingest import arxiv, csv_reader, daily, hf_json  # noqa: F401  (register readers)
from kg.ingest.dedup import merge_papers
from kg.ingest.registry import EXTENSIONS, read_file
from kg.model import Paper


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the files with a known extension inside folders, sorted."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(".")
            )
            if not found:
                raise InputError(
                    str(path), f"folder holds no listing files ({', '.join(sorted(EXTENSIONS))})"
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(str(path), "no such file or folder")
    return files


def read_paths(paths: Iterable[str | Path], fmt: str | None = None) -> tuple[list[Paper], int]:
    """Read every file and merge duplicates; returns (unique papers, listings read)."""
    listings: list[Paper] = []
    for path in expand_paths(paths):
        listings.extend(read_file(path, fmt))
    return merge_papers(listings), len(listings)
