"""Edit big output files without rewriting them line by line: copy the unchanged byte ranges
(``os.copy_file_range``, so the kernel moves them) and write only what changed.

``splice_segments`` rebuilds a file made of consecutive segments (one per pass-2 job) with
some segments replaced and new ones appended; ``splice_sorted`` removes and inserts lines
in a sorted file of unique lines (``graph.nt``), finding each place by binary search."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SCAN = 1 << 16  # below this many bytes the binary search reads lines in order


def copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    """Append bytes ``start:end`` of ``src`` to ``dst``."""
    if end <= start:
        return
    dst.flush()
    count = end - start
    try:
        while count:
            done = os.copy_file_range(src.fileno(), dst.fileno(), count, start)
            if done == 0:
                raise OSError("copy_file_range copied nothing")
            start, count = start + done, count - done
        dst.seek(0, os.SEEK_END)
    except (AttributeError, OSError):
        src.seek(start)
        while count:
            chunk = src.read(min(count, 1 << 20))
            if not chunk:
                raise EOFError(f"{src.name}: shorter than expected") from None
            dst.write(chunk)
            count -= len(chunk)


def splice_segments(
    old: Path,
    ends: list[int],
    replaced: Mapping[int, bytes],
    appended: Iterable[bytes],
    out: Path,
    prefix: bytes | None = None,
) -> list[int]:
    """Write ``out`` as ``old``'s prefix (bytes before ``ends[0]``, or ``prefix``), then each
    segment ``j`` (``ends[j]:ends[j + 1]``) of ``old`` or ``replaced[j]``, then the
    ``appended`` segments; whatever followed the last segment is dropped. Returns the new
    ``ends``."""
    new_ends = []
    with old.open("rb") as src, out.open("wb") as dst:
        if prefix is None:
            copy_range(src, dst, 0, ends[0])
        else:
            dst.write(prefix)
        new_ends.append(dst.tell())
        for job in range(len(ends) - 1):
            if job in replaced:
                dst.write(replaced[job])
            else:
                copy_range(src, dst, ends[job], ends[job + 1])
            new_ends.append(dst.tell())
        for segment in appended:
            dst.write(segment)
            new_ends.append(dst.tell())
    return new_ends


def _line_at(src: BinaryIO, offset: int) -> bytes:
    src.seek(offset)
    return src.readline()


def _next_line_start(src: BinaryIO, offset: int) -> int:
    """The first line start at or after ``offset`` (``offset`` > 0)."""
    src.seek(offset - 1)
    src.readline()
    return src.tell()


def lower_bound(src: BinaryIO, key: bytes, lo: int, size: int) -> int:
    """The offset of the first line >= ``key`` at or after the line start ``lo``, in a file of
    sorted lines (``size`` if there is none)."""
    hi = size  # invariant: lines before lo are < key; the answer is a line start in [lo, hi]
    while hi - lo > SCAN:
        start = _next_line_start(src, (lo + hi) // 2)
        if start >= hi:
            break
        line = _line_at(src, start)
        if line < key:
            lo = start + len(line)
        else:
            hi = start
    src.seek(lo)
    while lo < hi:
        line = src.readline()
        if line >= key:
            return lo
        lo += len(line)
    return hi


@dataclass
class SortedSplice:
    """What ``splice_sorted`` did."""

    removed: int
    added: int
    missing: list[str]  # lines asked to be removed that were not there


def splice_sorted(old: Path, remove: set[str], add: set[str], out: Path) -> SortedSplice:
    """Write ``out`` as the sorted unique lines of ``old`` without ``remove`` and with ``add``
    (each line ends in a newline; a line in both sets is left as it is)."""
    result = SortedSplice(0, 0, [])
    edits = sorted((line, line in add) for line in remove ^ add)
    size = old.stat().st_size
    with old.open("rb") as src, out.open("wb") as dst:
        cursor = 0
        for line, adding in edits:
            key = line.encode("utf-8")
            at = lower_bound(src, key, cursor, size)
            copy_range(src, dst, cursor, at)
            cursor = at
            present = at < size and _line_at(src, at) == key
            if adding and not present:
                dst.write(key)
                result.added += 1
            elif not adding and present:
                cursor += len(key)
                result.removed += 1
            elif not adding:
                result.missing.append(line)
        copy_range(src, dst, cursor, size)
    return result
