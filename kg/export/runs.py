"""Sorted line files ("runs") spooled to disk and merged: how ``graph.nt`` is written in
bounded memory."""

from __future__ import annotations

import heapq
from contextlib import ExitStack
from pathlib import Path
from typing import IO

MERGE_FANIN = 256  # sorted runs merged at once (each holds a file open)


def merge_sorted_runs(runs: list[Path], out: IO[str]) -> int:
    """Merge sorted line files into ``out``, dropping repeats; returns the lines written."""
    with ExitStack() as stack:
        files = [stack.enter_context(run.open(encoding="utf-8")) for run in runs]
        last, written = None, 0
        for line in heapq.merge(*files):
            if line != last:
                out.write(line)
                written += 1
                last = line
    return written


def merge_runs_into(runs: list[Path], path: Path) -> int:
    """``merge_sorted_runs`` into the file ``path``, a level at a time if there are many."""
    level = 0
    while len(runs) > MERGE_FANIN:
        merged = []
        for start in range(0, len(runs), MERGE_FANIN):
            group = runs[start : start + MERGE_FANIN]
            target = path.with_name(f"{path.name}.{level}.{start // MERGE_FANIN}")
            with target.open("w", encoding="utf-8", newline="\n") as fh:
                merge_sorted_runs(group, fh)
            merged.append(target)
        runs, level = merged, level + 1
    with path.open("w", encoding="utf-8", newline="\n") as out:
        return merge_sorted_runs(runs, out)


def write_run(path: Path, lines: set[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(sorted(lines))
