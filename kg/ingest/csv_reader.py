"""CSV (or TSV) listings with at least ``title`` and ``abstract`` columns.

Optional columns: ``id`` (arXiv id), ``date``, ``authors`` (separated by ``;``),
``code_url``/``github``, ``project_url``. Column names are matched case-insensitively;
``summary`` is accepted for ``abstract``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.ids import paper_id
from kg.ingest.registry import register_reader
from kg.model import Listing, Paper

ALIASES = {
    "summary": "abstract",
    "githubrepo": "code_url",
    "github": "code_url",
    "code": "code_url",
    "projectpage": "project_url",
    "published": "date",
    "publishedat": "date",
}


@register_reader("csv", (".csv", ".tsv"))
def read_csv(path: Path, text: str) -> Iterator[Paper]:
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
            authors = [a.strip() for a in rec.get("authors", "").split(";") if a.strip()]
            yield Paper(
                id=paper_id(rec["title"], rec.get("id") or None),
                title=rec["title"],
                abstract=rec["abstract"],
                listings=[Listing(source=path.name, date=rec.get("date") or None, line=start)],
                authors=authors,
                published=rec.get("date") or None,
                code_urls=[rec["code_url"]] if rec.get("code_url") else [],
                project_urls=[rec["project_url"]] if rec.get("project_url") else [],
            )
    except csv.Error as err:
        raise InputError(str(path), f"malformed CSV: {err}", reader.line_num) from err
