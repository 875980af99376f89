"""Reader plugins, registered by format name, and format detection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Paper


@dataclass(frozen=True)
class ReaderNote:
    """What a reader assumed of a file (``authors separated by ','``), for the summary."""

    text: str


Reader = Callable[[Path, str], Iterator[Paper | ReaderNote]]
"""A reader takes a path and its decoded text and yields one ``Paper`` per listing (and
``ReaderNote``s of what it assumed)."""

READERS: dict[str, Reader] = {}
EXTENSIONS: dict[str, str] = {}


def register_reader(name: str, extensions: tuple[str, ...] = ()) -> Callable[[Reader], Reader]:
    """Register a reader under ``name``; ``extensions`` (".csv") select it automatically."""

    def decorate(func: Reader) -> Reader:
        READERS[name] = func
        for ext in extensions:
            EXTENSIONS[ext] = name
        return func

    return decorate


def decode(path: Path) -> str:
    """Read a file as UTF-8 (a BOM is allowed), naming the line of any invalid byte."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(str(path), f"invalid UTF-8 (byte 0x{data[err.start]:02x})", line) from err
    if not text.strip():
        raise InputError(str(path), "file is empty")
    return text


def detect_format(path: Path, text: str) -> str:
    """Pick a reader from the file's extension, or sniff its content."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    if by_ext:
        return by_ext
    head = text.lstrip()[:2000]
    if head.startswith("<"):
        return "arxiv"
    if head.startswith("[") or head.startswith("{"):
        first = head.splitlines()[0].strip()
        return "jsonl" if first.startswith("{") and first.endswith("}") else "json"
    first_line = head.splitlines()[0].lower()
    if "title" in first_line and ("," in first_line or "\t" in first_line):
        return "csv"
    return "daily"


def read_file(path: Path, fmt: str | None = None, notes: list[str] | None = None) -> list[Paper]:
    """Read one file with the named reader (or the detected one); what the reader assumed
    is appended to ``notes``."""
    text = decode(path)
    name = fmt or detect_format(path, text)
    if name not in READERS:
        raise InputError(
            str(path), f"unknown format {name!r} (known: {', '.join(sorted(READERS))})"
        )
    papers = []
    for item in READERS[name](path, text):
        if isinstance(item, ReaderNote):
            if notes is not None:
                notes.append(item.text)
        else:
            papers.append(item)
    if not papers:
        raise InputError(str(path), f"no papers found (read as {name})")
    return papers
