"""arXiv API Atom feeds (``http://export.arxiv.org/api/query`` responses)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.ids import paper_id
from kg.ingest.registry import register_reader
from kg.model import Listing, Paper

ATOM = "{http://www.w3.org/2005/Atom}"


def _text(entry: ET.Element, tag: str) -> str:
    node = entry.find(ATOM + tag)
    return " ".join((node.text or "").split()) if node is not None else ""


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
        authors = [_text(a, "name") for a in entry.findall(ATOM + "author")]
        yield Paper(
            id=paper_id(title, _text(entry, "id") or None),
            title=title,
            abstract=abstract,
            listings=[Listing(source=path.name, date=published[:10] or None, line=None)],
            authors=[a for a in authors if a],
            published=published or None,
        )
