"""Hugging Face Papers API records, as a JSON array/object or as JSON Lines.

A record is either flat (``id``, ``title``, ``summary``, ``authors``, ``publishedAt``,
``githubRepo``, ``projectPage``) or wraps those in a ``paper`` object (the daily_papers
endpoint), in which case the outer keys fill any gaps. In a daily-papers record the outer
``publishedAt`` is the day it was listed (the listing date) and ``paper.publishedAt`` the
arXiv date (the publication date). Also kept: ``upvotes``, ``numComments``, the submitter
(``submittedBy`` / ``submittedOnDailyBy``: a user handle), ``thumbnail``, and each author's
HF user handle (``authors[].user.user``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.ids import paper_id
from kg.ingest.registry import register_reader
from kg.model import Listing, Paper


def _authors(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    names = []
    for author in value:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def _handles(value: Any) -> dict[str, str]:
    if not isinstance(value, list):
        return {}
    found = {}
    for author in value:
        user = author.get("user") if isinstance(author, dict) else None
        handle = user.get("user") if isinstance(user, dict) else None
        if isinstance(handle, str) and handle and isinstance(author.get("name"), str):
            found[author["name"].strip()] = handle
    return found


def _count(record: dict[str, Any], key: str) -> int | None:
    value = record.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _submitter(record: dict[str, Any]) -> str | None:
    for key in ("submittedBy", "submittedOnDailyBy"):
        value = record.get(key)
        if isinstance(value, dict):
            value = value.get("user") or value.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _text(record: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def paper_from_record(record: Any, path: Path, line: int | None, where: str) -> Paper:
    """Build a ``Paper`` from one API record, or raise an ``InputError`` naming it."""
    if not isinstance(record, dict):
        raise InputError(
            str(path), f"{where}: expected a JSON object, got {type(record).__name__}", line
        )
    inner = record.get("paper")
    merged: dict[str, Any] = {**record, **inner} if isinstance(inner, dict) else dict(record)
    title = _text(merged, "title")
    abstract = _text(merged, "summary", "abstract")
    for name, value in (("title", title), ("summary", abstract)):
        if not value:
            raise InputError(str(path), f"{where}: missing or empty {name!r}", line)
    raw_id = merged.get("id") if isinstance(merged.get("id"), str) else None
    published = _text(merged, "publishedAt", "published")
    # (a daily-papers record: the outer date is the listing's, the paper's its arXiv date)
    listed = _text(record, "publishedAt") if isinstance(inner, dict) else published
    code = _text(merged, "githubRepo")
    project = _text(merged, "projectPage")
    return Paper(
        id=paper_id(title, raw_id),
        title=title,
        abstract=abstract,
        listings=[Listing(source=path.name, date=(listed or published)[:10] or None, line=line)],
        authors=_authors(merged.get("authors")),
        published=published or None,
        code_urls=[code] if code else [],
        project_urls=[project] if project else [],
        upvotes=_count(merged, "upvotes"),
        num_comments=_count(merged, "numComments"),
        submitter=_submitter(merged),
        thumbnail=_text(merged, "thumbnail") or None,
        handles=_handles(merged.get("authors")),
    )


@register_reader("json", (".json",))
def read_json(path: Path, text: str) -> Iterator[Paper]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            str(path), f"invalid JSON: {err.msg} (column {err.colno})", err.lineno
        ) from err
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield paper_from_record(record, path, None, f"record {index + 1}")


def paper_from_line(path: Path, number: int, line: str) -> Paper | None:
    """The paper on one JSON Lines line (None for a blank line)."""
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            str(path), f"invalid JSON: {err.msg} (column {err.colno})", number
        ) from err
    return paper_from_record(record, path, number, "record")


@register_reader("jsonl", (".jsonl", ".ndjson"))
def read_jsonl(path: Path, text: str) -> Iterator[Paper]:
    for number, line in enumerate(text.splitlines(), start=1):
        paper = paper_from_line(path, number, line)
        if paper is not None:
            yield paper
