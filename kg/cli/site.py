"""``kg site``: the research site of an exports folder as static files."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import exports_argument
from kg.site import write_site


@click.command("site")
@exports_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Folder for the pages.",
)
def site_command(exports: Path, out: Path) -> None:
    """Write the pages `kg serve` shows (home, search, a page per dataset, method, metric,
    task and paper, each also as index.json) into --out as static files; the search runs in
    the browser on a prebuilt index, so the folder works offline and on GitHub Pages.

    Example: kg site exports/ --out site/, then open site/index.html
    """
    pages = write_site(exports, out)
    click.echo(f"Wrote {pages} pages to {out}/ (open {out}/index.html).")
