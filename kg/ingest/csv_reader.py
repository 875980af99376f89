"""CSV (or TSV) listings with at least ``title`` and ``abstract`` columns.

Optional columns: ``id`` / ``arxiv_id`` / ``entry_id`` (an arXiv id or abs URL), ``url`` /
``pdf_url`` / ``link`` (an arxiv.org link gives the arXiv id too, so the same paper read
from CSV, Atom and Hugging Face JSON merges into one), ``date``, ``updated``, ``authors``,
``categories`` (primary first), ``doi``, ``journal_ref``, ``comment``, ``code_url`` /
``github``, ``project_url``. Column names are matched case-insensitively; ``summary`` is
accepted for ``abstract``.

Authors are separated by ``;`` when any cell of the file holds one, else by ``|``, else by
``,`` (``and`` before the last name too); the summary says which was assumed. Categories
are separated by spaces, commas or ``;``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.ids import arxiv_id, paper_id
from kg.ingest.registry import ReaderNote, register_reader
from kg.model import Listing, Paper

ALIASES = {
    "summary": "abstract",
    "githubrepo": "code_url",
    "github": "code_url",
    "code": "code_url",
    "projectpage": "project_url",
    "published": "date",
    "publishedat": "date",
    "arxiv_id": "arxiv",
    "arxivid": "arxiv",
    "entry_id": "arxiv",
    "pdf_url": "pdf",
    "pdf": "pdf",
    "url": "url",
    "link": "url",
    "abs_url": "url",
    "primary_category": "primary",
    "category": "categories",
    "journal-ref": "journal_ref",
    "journal_reference": "journal_ref",
    "comments": "comment",
}
AUTHOR_SEPARATORS = (";", "|", ",")


def authors_separator(cells: list[str]) -> str:
    """The separator of a file's author lists: the first of ``;``, ``|``, ``,`` that any
    cell holds (``,`` when none does: one author a cell)."""
    for sep in AUTHOR_SEPARATORS:
        if any(sep in cell for cell in cells):
            return sep
    return ","


def split_authors(cell: str, sep: str) -> list[str]:
    parts = cell.split(sep)
    if sep == "," and parts:
        parts[-1:] = re.split(r"\s+and\s+", parts[-1])
    return [a.strip() for a in parts if a.strip()]


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        raise InputError(str(path), f"cannot read the CSV header: {err}", 1) from err
    columns = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in ("title", "abstract") if c not in columns]
    if missing:
        raise InputError(
            str(path),
            f"missing column(s) {', '.join(missing)}; found {', '.join(header) or 'none'}",
            1,
        )
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise InputError(
                    str(path), f"expected {len(columns)} fields, found {len(row)}", start
                )
            rec = {c: " ".join(v.split()) for c, v in zip(columns, row, strict=True)}
            for name in ("title", "abstract"):
                if not rec[name]:
                    raise InputError(str(path), f"empty {name!r}", start)
            yield start, rec
    except csv.Error as err:
        raise InputError(str(path), f"malformed CSV: {err}", reader.line_num) from err


def _arxiv(rec: dict[str, str]) -> tuple[str | None, int | None]:
    """The arXiv id (or the raw id) and version a row gives, from its id or link columns."""
    for column in ("id", "arxiv", "url", "pdf"):
        found = arxiv_id(rec.get(column, "")) if rec.get(column) else None
        if found:
            return found
    return rec.get("id") or None, None


def _day(value: str) -> str | None:
    """A listing date: the day of an ISO timestamp (``2025-05-30 17:59:59+00:00``)."""
    return value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value) else value or None


def _categories(rec: dict[str, str]) -> list[str]:
    terms = [rec.get("primary", ""), *re.split(r"[\s,;]+", rec.get("categories", ""))]
    return list(dict.fromkeys(t for t in terms if t))


@register_reader("csv", (".csv", ".tsv"))
def read_csv(path: Path, text: str) -> Iterator[Paper | ReaderNote]:
    rows = list(_rows(path, text))
    sep = authors_separator([rec.get("authors", "") for _, rec in rows])
    if any(rec.get("authors") for _, rec in rows):
        yield ReaderNote(f"{path.name}: authors read as separated by {sep!r}")
    for start, rec in rows:
        raw_id, version = _arxiv(rec)
        pdf = rec.get("pdf") or (rec["url"] if "/pdf/" in rec.get("url", "") else "")
        yield Paper(
            id=paper_id(rec["title"], raw_id),
            title=rec["title"],
            abstract=rec["abstract"],
            listings=[Listing(source=path.name, date=_day(rec.get("date", "")), line=start)],
            authors=split_authors(rec.get("authors", ""), sep),
            published=rec.get("date") or None,
            code_urls=[rec["code_url"]] if rec.get("code_url") else [],
            project_urls=[rec["project_url"]] if rec.get("project_url") else [],
            categories=_categories(rec),
            doi=rec.get("doi") or None,
            journal_ref=rec.get("journal_ref") or None,
            version=version,
            updated=rec.get("updated") or None,
            pdf_url=pdf or None,
            comment=rec.get("comment") or None,
        )
