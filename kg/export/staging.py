"""The output folder's staging area: one build at a time writes into a folder, and what a
killed build left behind is cleared by the next.

Every build and append writes into a ``.kg-staging-*`` folder inside ``--out`` and moves the
finished files into place, so a failure leaves ``--out`` as it was. ``staging`` holds an
exclusive ``flock`` on the output folder itself for the whole build (no lock file is left
behind; the kernel drops the lock when the process dies, however it dies), removes staging
folders no live build owns, and refuses a second build into the same folder at once."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KgError

PREFIX = ".kg-staging-"

_held: dict[Path, int] = {}  # output folder -> depth of this process's lock on it


class OutputBusy(KgError):
    """Another build is writing into the same output folder."""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock (re-entrant within a process); clear stale staging
    folders once it is held."""
    out.mkdir(parents=True, exist_ok=True)
    key = out.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(
                f"{out}: another kg build or add is writing into this folder; "
                "wait for it to finish or choose another --out"
            ) from None
        _held[key] = 1
        try:
            remove_stale(key)
            yield
        finally:
            del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_stale(out: Path) -> list[Path]:
    """Remove the staging folders of builds that were killed (call with the lock held)."""
    stale = sorted(p for p in out.glob(PREFIX + "*") if p.is_dir())
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh staging folder inside ``out``, with ``out`` locked; removed on the way out."""
    with locked(out), tempfile.TemporaryDirectory(prefix=PREFIX, dir=out) as tmp:
        yield Path(tmp)
