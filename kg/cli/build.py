"""``kg build``: listings in, exports out (in memory, or streamed with ``--stream``)."""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from kg.api import append_large, build, build_large
from kg.cli.options import format_option, inputs_argument
from kg.engine import ENGINES, EngineOptions
from kg.errors import KgError
from kg.export import EXPORTERS
from kg.export.rdf import DEFAULT_BASE
from kg.ingest import expand_paths
from kg.model import Paper
from kg.stream import AppendRefused
from kg.stream.state import STATE

PROGRESS_FROM = 200
MANIFEST = ".kg-build.json"


def _progress(papers: Iterable[Paper]) -> Iterable[Paper]:
    papers = list(papers)
    if len(papers) < PROGRESS_FROM:
        return papers
    return _bar(papers, len(papers))


def _bar(papers: Iterable[Paper], total: int) -> Iterator[Paper]:
    if total < PROGRESS_FROM:
        yield from papers
        return
    bar: Any = click.progressbar(
        papers, length=total, label="Extracting", show_pos=True, file=sys.stderr
    )
    with bar:
        yield from bar


def engine_options(func: Any) -> Any:
    """The options that say how extraction runs (shared by ``build`` and ``add``)."""
    options = [
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="Extraction processes (0 = one per core). Output does not depend on it.",
        ),
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default="local",
            show_default=True,
            help="local: a process pool; dask: a Dask cluster (--scheduler, or a local one).",
        ),
        click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786)."),
        click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


SETTINGS = ("format", "only", "base_iri", "stream", "store", "cache", "fast")
"""What must be the same for a build to append to the last one."""


def run_build(
    inputs: list[str],
    out: Path,
    *,
    fmt: str | None,
    formats: list[str],
    base_iri: str,
    stream: bool,
    store: bool,
    cache: Path | None,
    options: EngineOptions,
    quiet: bool,
) -> None:
    """Build and print the summary. With a cache, remember the build for ``kg add``; a
    streamed build also keeps what appending needs, and a streamed build whose input files
    begin with the last build's, unchanged, only appends the rest."""
    started = time.perf_counter()
    files = [str(p.resolve()) for p in expand_paths(inputs)]
    manifest = {
        "inputs": [str(Path(i).resolve()) for i in inputs],
        "files": files,
        "stats": [_stat(f) for f in files],
        "format": fmt,
        "only": formats,
        "base_iri": base_iri,
        "stream": stream,
        "store": store,
        "cache": str(cache.resolve()) if cache is not None else None,
        "fast": options.fast,
    }
    if cache is not None and stream and _append(out, manifest, options, quiet, started):
        return
    if stream:
        summary = build_large(
            files,
            out,
            fmt,
            base_iri,
            options,
            formats or None,
            store,
            progress=None if quiet else _bar,
            keep_state=cache is not None,
        )
        written = summary["written"]
    else:
        graph = build(files, fmt, base_iri, progress=None if quiet else _progress, engine=options)
        written = graph.export(out, formats or None)
        summary = graph.summary()
        if (out / STATE).is_dir():
            shutil.rmtree(out / STATE)  # it describes outputs this build replaced
    if cache is not None:
        _write_manifest(out, manifest)
    if not quiet:
        _report(summary, len(written), out, time.perf_counter() - started)


def _stat(path: str) -> list[int]:
    st = Path(path).stat()
    return [st.st_size, st.st_mtime_ns]


def _append(
    out: Path, manifest: dict[str, Any], options: EngineOptions, quiet: bool, started: float
) -> bool:
    """Append to the last build of ``out`` if it read, with the same settings, a prefix of
    this build's files, unchanged since; False if a full build is needed."""
    last = _read_manifest(out)
    if last is None or any(last.get(k) != manifest[k] for k in SETTINGS):
        return False
    known = list(last.get("files") or [])
    count = len(known)
    if manifest["files"][:count] != known or last.get("stats") != manifest["stats"][:count]:
        return False
    try:
        summary = append_large(
            manifest["files"][count:],
            out,
            manifest["format"],
            options,
            manifest["store"],
            progress=None if quiet else _bar,
        )
    except AppendRefused as err:
        click.echo(f"kg: cannot append ({err}); building everything.", err=True)
        return False
    _write_manifest(out, manifest)
    if not quiet:
        _report(summary, len(summary["written"]), out, time.perf_counter() - started)
        again = ", ".join(f"{k} {v}" for k, v in summary["rerendered"].items())
        click.echo(
            f"Appended {summary['added_papers']} papers to the last build, updated "
            f"{summary['updated_papers']}; runs of papers rendered again: {again}."
        )
    return True


def _read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        manifest: dict[str, Any] = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _report(s: dict[str, Any], files: int, out: Path, seconds: float) -> None:
    entities = ", ".join(f"{n} {t.lower()}s" for t, n in s["entities"].items())
    graph = (
        f"Graph: {s['nodes']} nodes, {s['edges']} edges."
        if "nodes" in s
        else f"Graph: {s['triples']} RDF triples."
        if s.get("triples") is not None
        else "Graph: streamed."
    )
    click.echo(
        f"Read {s['listings']} listings: {s['papers']} papers "
        f"({s['duplicates_merged']} duplicates merged).\n"
        f"Entities: {entities}; {s['proposed']} proposed-name mentions.\n"
        f"Results: {s['results']}; quantities: {s['quantities']}; "
        f"code links: {s['code_links']}; project pages: {s['project_links']}.\n"
        f"{graph}\n"
        f"Wrote {files} files to {out}/ in {seconds:.1f}s."
    )


def make_options(
    jobs: int, engine: str, scheduler: str | None, fast: bool, cache: Path | None
) -> EngineOptions:
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    return EngineOptions(jobs=jobs, engine=engine, scheduler=scheduler, cache=cache, fast=fast)


@click.command("build")
@inputs_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exports"),
    show_default=True,
    help="Folder for the exports.",
)
@format_option
@click.option(
    "--only",
    "formats",
    multiple=True,
    type=click.Choice(sorted(EXPORTERS)),
    help="Write only these exports (repeatable). Default: all.",
)
@click.option(
    "--base-iri", default=DEFAULT_BASE, show_default=True, help="Base IRI for the RDF resources."
)
@engine_options
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    help="Content-keyed extraction cache: unchanged papers are not extracted again.",
)
@click.option(
    "--stream",
    is_flag=True,
    help="Flat memory for large corpora: papers.jsonl, graph.nt, store/, neo4j/ only.",
)
@click.option(
    "--store/--no-store",
    default=True,
    show_default=True,
    help="With --stream: load graph.nt into an on-disk Oxigraph store in OUT/store/.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build_command(
    inputs: tuple[Path, ...],
    out: Path,
    fmt: str | None,
    formats: tuple[str, ...],
    base_iri: str,
    jobs: int,
    engine: str,
    scheduler: str | None,
    fast: bool,
    cache: Path | None,
    stream: bool,
    store: bool,
    quiet: bool,
) -> None:
    """Build the knowledge graph of INPUTS (files and folders) into --out.

    With --stream and --cache, a build whose input files begin with those of the last
    build of --out (unchanged, same options) only appends the new files: see `kg add`.

    Examples: kg build seeds/ --out exports/; kg build listings/ --stream --jobs 0
    --cache .kg-cache --out big/
    """
    run_build(
        [str(p) for p in inputs],
        out,
        fmt=fmt,
        formats=list(formats),
        base_iri=base_iri,
        stream=stream,
        store=store,
        cache=cache,
        options=make_options(jobs, engine, scheduler, fast, cache),
        quiet=quiet,
    )


@click.command("add")
@inputs_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exports"),
    show_default=True,
    help="A folder built by `kg build ... --cache DIR`.",
)
@engine_options
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def add_command(
    inputs: tuple[Path, ...],
    out: Path,
    jobs: int,
    engine: str,
    scheduler: str | None,
    fast: bool,
    quiet: bool,
) -> None:
    """Add the listings in INPUTS to the graph in --out.

    Files already in the graph are skipped, so a folder that gained files can be given
    again. A streamed build (--stream --cache) is updated in place: only the new papers are
    extracted, and only the parts of the files that change are rewritten. Other builds are
    rebuilt with the inputs and options of the last build plus INPUTS, through the cache.
    Either way the files equal a full build of the old inputs followed by the new ones.
    Example: kg add new-week.jsonl --out big/
    """
    path = out / MANIFEST
    if not path.is_file():
        raise KgError(f"{out}: not built with --cache (no {MANIFEST}); run kg build ... --cache")
    m = _read_manifest(out)
    if m is None or "cache" not in m or not (m.get("files") or m.get("inputs")):
        raise KgError(f"{path}: unreadable build manifest")
    known = list(m.get("files") or m["inputs"])
    cache = Path(m["cache"])
    new = [str(p.resolve()) for p in expand_paths(inputs) if str(p.resolve()) not in known]
    if not new:
        if not quiet:
            click.echo(f"Nothing to add: every file in {', '.join(map(str, inputs))} is in {out}.")
        return
    run_build(
        known + new,
        out,
        fmt=m.get("format"),
        formats=list(m.get("only") or []),
        base_iri=m.get("base_iri", DEFAULT_BASE),
        stream=bool(m.get("stream")),
        store=bool(m.get("store", True)),
        cache=cache,
        options=make_options(jobs, engine, scheduler, fast or bool(m.get("fast")), cache),
        quiet=quiet,
    )
