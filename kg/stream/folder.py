"""Builds into an output folder, remembered for ``kg add``: the append-or-rebuild policy.

A build with a cache writes ``OUT/.kg-build.json`` (the manifest: its input files, their
sizes and times, and the settings) and the state an append needs. The next build of the
same folder whose input files begin with the manifest's, unchanged, with the same settings,
only appends the new files; anything else, or an append that cannot be done in place
(``AppendRefused``), is a full build (through the cache, so unchanged papers are not
extracted again)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.engine import EngineOptions
from kg.errors import KgError
from kg.export.rdf import DEFAULT_BASE
from kg.ingest import expand_paths
from kg.stream.append import stream_append
from kg.stream.build import GRAPH_LIMIT, Progress, stream_build
from kg.stream.state import AppendRefused
from kg.stream.summary import BuildSummary

MANIFEST = ".kg-build.json"


@dataclass(frozen=True)
class Settings:
    """What must be the same for a build to append to the last one."""

    fmt: str | None = None
    formats: tuple[str, ...] = ()  # () = every format
    base_iri: str = DEFAULT_BASE
    store: bool = False
    graph_limit: int = GRAPH_LIMIT

    def as_json(self, options: EngineOptions) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "only": list(self.formats),
            "base_iri": self.base_iri,
            "store": self.store,
            "graph_limit": self.graph_limit,
            "cache": str(options.cache.resolve()) if options.cache is not None else None,
            "fast": options.fast,
        }


def _stat(path: str) -> list[int]:
    st = Path(path).stat()
    return [st.st_size, st.st_mtime_ns]


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the last build of ``out`` with a cache, or None."""
    try:
        manifest: Any = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def build_folder(
    inputs: Iterable[str | Path],
    out: Path,
    settings: Settings = Settings(),
    options: EngineOptions | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build ``inputs`` (files and folders) into ``out``. With ``options.cache``, remember
    the build for ``add_to_folder`` and append instead of rebuilding when the inputs only
    gained files at the end (see the module docstring)."""
    options = options or EngineOptions()
    files = [str(p.resolve()) for p in expand_paths(inputs)]
    manifest = {
        "files": files,
        "stats": [_stat(f) for f in files],
        **settings.as_json(options),
    }
    notes: list[str] = []
    if options.cache is not None:
        summary = _append(out, manifest, files, settings, options, progress, notes)
        if summary is not None:
            _write_manifest(out, manifest)
            return summary
    summary = stream_build(
        files,
        out,
        settings.fmt,
        settings.base_iri,
        options,
        settings.formats or None,
        settings.store,
        progress,
        keep_state=options.cache is not None,
        graph_limit=settings.graph_limit,
    )
    summary.notes[:0] = notes
    if options.cache is not None:
        _write_manifest(out, manifest)
    elif (out / MANIFEST).exists():
        (out / MANIFEST).unlink()  # it describes a build these outputs replaced
    return summary


def _append(
    out: Path,
    manifest: dict[str, Any],
    files: list[str],
    settings: Settings,
    options: EngineOptions,
    progress: Progress | None,
    notes: list[str],
) -> BuildSummary | None:
    """Append to the last build of ``out`` if it read, with the same settings, a prefix of
    ``files``, unchanged since; None if a full build is needed (why goes to ``notes``)."""
    last = read_manifest(out)
    same = ("format", "only", "base_iri", "store", "graph_limit", "cache", "fast")
    if last is None or any(last.get(k) != manifest[k] for k in same):
        return None
    known = list(last.get("files") or [])
    if files[: len(known)] != known or last.get("stats") != manifest["stats"][: len(known)]:
        return None
    try:
        return stream_append(
            files[len(known) :], out, settings.fmt, options, settings.store, progress
        )
    except AppendRefused as err:
        notes.append(f"not appended ({err}): built everything")
        return None


def add_to_folder(
    inputs: Iterable[str | Path],
    out: Path,
    options: EngineOptions | None = None,
    progress: Progress | None = None,
) -> BuildSummary | None:
    """Add the files in ``inputs`` that ``out``'s last build did not read, with that build's
    settings; None when there is nothing new. ``out`` must have been built with a cache."""
    path = out / MANIFEST
    if not path.is_file():
        raise KgError(
            f"{out}: not built with --cache (no {MANIFEST}); run kg build ... --cache DIR"
        )
    m = read_manifest(out)
    if m is None or not m.get("cache") or not m.get("files"):
        raise KgError(f"{path}: unreadable build manifest")
    known = list(m["files"])
    new = [str(p.resolve()) for p in expand_paths(inputs) if str(p.resolve()) not in known]
    if not new:
        return None
    options = options or EngineOptions()
    options = replace(options, cache=Path(m["cache"]), fast=options.fast or bool(m.get("fast")))
    settings = Settings(
        fmt=m.get("format"),
        formats=tuple(m.get("only") or ()),
        base_iri=m.get("base_iri", DEFAULT_BASE),
        store=bool(m.get("store")),
        graph_limit=int(m.get("graph_limit", GRAPH_LIMIT)),
    )
    return build_folder(known + new, out, settings, options, progress)
