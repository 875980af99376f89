"""Arguments and options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from kg.ingest import READERS

inputs_argument = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
"""Listing files and folders, in any mix."""

exports_argument = click.argument(
    "exports",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("exports"),
    required=False,
)
"""A build's output folder (default ``exports``)."""

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(READERS)),
    default=None,
    help="Force the input format instead of detecting it per file.",
)
