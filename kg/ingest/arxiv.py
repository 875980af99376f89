"""arXiv API Atom feeds (``http://export.arxiv.org/api/query`` responses).

Kept of an entry: id (new or old style) and version, title, summary, authors with their
``arxiv:affiliation``, published and updated dates, categories (``arxiv:primary_category``
first, then every ``category``), ``arxiv:doi``, ``arxiv:journal_ref``, the pdf link and
``arxiv:comment`` (whose code and project URLs become links, as the abstract's do)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.ids import arxiv_id, paper_id
from kg.ingest.registry import register_reader
from kg.model import Listing, Paper

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def _text(entry: ET.Element, tag: str, ns: str = ATOM) -> str:
    node = entry.find(ns + tag)
    return " ".join((node.text or "").split()) if node is not None else ""


def _categories(entry: ET.Element) -> list[str]:
    primary = entry.find(ARXIV + "primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [c.get("term", "") for c in entry.findall(ATOM + "category")]
    return list(dict.fromkeys(t.strip() for t in terms if t and t.strip()))


def _pdf(entry: ET.Element) -> str | None:
    for link in entry.findall(ATOM + "link"):
        if link.get("title") == "pdf" or link.get("type") == "application/pdf":
            return link.get("href") or None
    return None


@register_reader("arxiv", (".xml", ".atom"))
def read_arxiv(path: Path, text: str) -> Iterator[Paper]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line, column = err.position
        raise InputError(
            str(path),
            f"invalid XML: {err.msg if hasattr(err, 'msg') else err} (column {column})",
            line,
        ) from err
    if root.tag != ATOM + "feed":
        raise InputError(str(path), f"not an arXiv Atom feed: root element is {root.tag!r}", 1)
    for index, entry in enumerate(root.iter(ATOM + "entry"), start=1):
        title, abstract = _text(entry, "title"), _text(entry, "summary")
        for name, value in (("title", title), ("summary", abstract)):
            if not value:
                raise InputError(str(path), f"entry {index}: missing or empty <{name}>")
        published = _text(entry, "published")
        people = [
            (_text(a, "name"), _text(a, "affiliation", ARXIV))
            for a in entry.findall(ATOM + "author")
        ]
        authors = [name for name, _ in people]
        raw_id = _text(entry, "id")
        found = arxiv_id(raw_id) if raw_id else None
        yield Paper(
            id=paper_id(title, raw_id or None),
            title=title,
            abstract=abstract,
            listings=[Listing(source=path.name, date=published[:10] or None, line=None)],
            authors=[a for a in authors if a],
            published=published or None,
            categories=_categories(entry),
            doi=_text(entry, "doi", ARXIV) or None,
            journal_ref=_text(entry, "journal_ref", ARXIV) or None,
            version=found[1] if found else None,
            updated=_text(entry, "updated") or None,
            pdf_url=_pdf(entry),
            comment=_text(entry, "comment", ARXIV) or None,
            affiliations={name: where for name, where in people if name and where},
        )
