"""Hugging Face Daily Papers page dumps: header lines, a date, then title/abstract pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.ids import paper_id
from kg.ingest.registry import register_reader
from kg.model import Listing, Paper

HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DATE = re.compile(rf"^(?:{MONTHS})[a-z]*\.? \d{{1,2}}(?:, \d{{4}})?$")
MAX_TITLE = 400


@register_reader("daily", (".txt",))
def read_daily(path: Path, text: str) -> Iterator[Paper]:
    """Yield one ``Paper`` per title/abstract pair, remembering the file, date and line."""
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    i = 0
    while i < len(lines) and lines[i][1].lower() in HEADER_LINES:
        i += 1
    if i == len(lines) or not DATE.match(lines[i][1]):
        where = lines[i][0] if i < len(lines) else lines[-1][0]
        raise InputError(
            str(path),
            "not a Daily Papers dump: expected a listing date such as 'Sep 17' "
            "after the header lines",
            where,
        )
    date = lines[i][1]
    body = lines[i + 1 :]
    pending: tuple[int, str] | None = None
    for n, line in body:
        if pending is None and DATE.match(line):
            date = line
            continue
        if pending is None:
            if len(line) > MAX_TITLE:
                raise InputError(
                    str(path),
                    f"expected a title line but found {len(line)} characters; "
                    "are the title/abstract lines out of step?",
                    n,
                )
            pending = (n, line)
            continue
        title_line, title = pending
        pending = None
        yield Paper(
            id=paper_id(title),
            title=title,
            abstract=line,
            listings=[Listing(source=path.name, date=date, line=title_line)],
        )
    if pending is not None:
        raise InputError(
            str(path),
            f"odd number of title/abstract lines: title {pending[1][:60]!r} has no abstract",
            pending[0],
        )
