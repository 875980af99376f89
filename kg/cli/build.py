"""``kg build`` and ``kg add``: listings in, exports out (the policy is ``kg.stream.folder``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from kg.api import add_exports, build_exports
from kg.cli.options import format_option, inputs_argument
from kg.engine import ENGINES, EngineOptions
from kg.export import formats as export_formats
from kg.export.rdf import DEFAULT_BASE
from kg.model import Paper
from kg.stream.build import GRAPH_LIMIT
from kg.stream.folder import Settings
from kg.stream.summary import BuildSummary

PROGRESS_FROM = 200


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


def _report(s: BuildSummary, out: Path, seconds: float) -> None:
    entities = ", ".join(f"{n} {t.lower()}s" for t, n in s.entities.items())
    graph = (
        f"Graph: {s.nodes} nodes, {s.edges} edges."
        if s.nodes is not None
        else f"Graph: {s.triples} RDF triples."
        if s.triples is not None
        else "Graph: no RDF written."
    )
    click.echo(
        f"Read {s.listings} listings: {s.papers} papers "
        f"({s.duplicates_merged} duplicates merged).\n"
        f"Entities: {entities}; {s.proposed} proposed-name mentions.\n"
        f"Results: {s.results}; quantities: {s.quantities}; "
        f"code links: {s.code_links}; project pages: {s.project_links}.\n"
        f"{graph}\n"
        f"Wrote {len(s.written)} files to {out}/ in {seconds:.1f}s."
    )
    if s.added_papers is not None and s.rerendered is not None:
        again = ", ".join(f"{k} {v}" for k, v in s.rerendered.items())
        click.echo(
            f"Appended {s.added_papers} papers to the last build, updated "
            f"{s.updated_papers}; runs of papers rendered again: {again}."
        )


def _finish(summary: BuildSummary | None, out: Path, started: float, quiet: bool) -> None:
    if summary is None:
        return
    for note in summary.notes:
        click.echo(f"kg: {note}", err=True)
    if not quiet:
        _report(summary, out, time.perf_counter() - started)


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
    type=click.Choice(export_formats()),
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
    "--store/--no-store",
    default=False,
    show_default=True,
    help="Also load graph.nt into an on-disk Oxigraph store in OUT/store/ (for kg query "
    "--db OUT/store and kg serve on big graphs).",
)
@click.option(
    "--graph-limit",
    type=click.IntRange(min=0),
    default=GRAPH_LIMIT,
    show_default=True,
    help="Papers up to which the whole-graph exports (html, gexf, graphml) are written; "
    "above it they are left out, with a note.",
)
@click.option(
    "--stream", is_flag=True, hidden=True, help="Accepted for old scripts: every build streams."
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
    store: bool,
    graph_limit: int,
    stream: bool,
    quiet: bool,
) -> None:
    """Build the knowledge graph of INPUTS (files and folders) into --out.

    Every build streams: memory stays bounded whatever the corpus size, and every export
    is written (the whole-graph ones up to --graph-limit papers). With --cache, a build
    whose input files begin with those of the last build of --out (unchanged, same
    options) only appends the new files: see `kg add`.

    Examples: kg build seeds/ --out exports/; kg build listings/ --jobs 0 --fast
    --cache .kg-cache --out big/
    """
    started = time.perf_counter()
    settings = Settings(fmt, tuple(formats), base_iri, store, graph_limit)
    options = make_options(jobs, engine, scheduler, fast, cache)
    progress = None if quiet else _bar
    _finish(
        build_exports([str(p) for p in inputs], out, settings, options, progress),
        out,
        started,
        quiet,
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
    again. The build is updated in place: only the new papers are extracted, and only the
    parts of the files that change are rewritten (the whole-graph exports are written
    again); when that cannot give the right files, everything is rebuilt through the cache.
    Either way the files equal a full build of the old inputs followed by the new ones.
    Example: kg add new-week.jsonl --out big/
    """
    started = time.perf_counter()
    options = make_options(jobs, engine, scheduler, fast, None)
    summary = add_exports([str(p) for p in inputs], out, options, None if quiet else _bar)
    if summary is None and not quiet:
        click.echo(f"Nothing to add: every file in {', '.join(map(str, inputs))} is in {out}.")
    _finish(summary, out, started, quiet)
