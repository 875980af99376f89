"""``kg build``: listings in, exports out."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from kg.api import build
from kg.export import EXPORTERS
from kg.export.rdf import DEFAULT_BASE
from kg.ingest import READERS
from kg.model import Paper

PROGRESS_FROM = 200


def _progress(papers: Iterable[Paper]) -> Iterable[Paper]:
    papers = list(papers)
    if len(papers) < PROGRESS_FROM:
        return papers

    def tick() -> Iterator[Paper]:
        bar: Any = click.progressbar(papers, label="Extracting", show_pos=True, file=sys.stderr)
        with bar:
            yield from bar

    return tick()


@click.command("build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exports"),
    show_default=True,
    help="Folder for the exports.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(READERS)),
    default=None,
    help="Force the input format instead of detecting it per file.",
)
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
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build_command(
    inputs: tuple[Path, ...],
    out: Path,
    fmt: str | None,
    formats: tuple[str, ...],
    base_iri: str,
    quiet: bool,
) -> None:
    """Build the knowledge graph of INPUTS (files and folders) into --out.

    Example: kg build seeds/ --out exports/
    """
    started = time.perf_counter()
    graph = build(inputs, fmt=fmt, base_iri=base_iri, progress=None if quiet else _progress)
    written = graph.export(out, formats or None)
    if quiet:
        return
    s = graph.summary()
    entities = ", ".join(f"{n} {t.lower()}s" for t, n in s["entities"].items())
    click.echo(
        f"Read {s['listings']} listings: {s['papers']} papers "
        f"({s['duplicates_merged']} duplicates merged).\n"
        f"Entities: {entities}; {s['proposed']} proposed-name mentions.\n"
        f"Results: {s['results']}; quantities: {s['quantities']}; "
        f"code links: {s['code_links']}; project pages: {s['project_links']}.\n"
        f"Graph: {s['nodes']} nodes, {s['edges']} edges.\n"
        f"Wrote {len(written)} files to {out}/ in {time.perf_counter() - started:.1f}s."
    )
