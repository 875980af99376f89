"""``kg push``: load a built graph into a live server (``kg push neo4j ...``).

``push_group`` is a click group; each target is a subcommand. Another target can live in
its own module and be attached with ``push_group.add_command(...)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.api import build
from kg.cli.options import format_option, inputs_argument
from kg.push.neo4j import BATCH_SIZE, check_uri, push_neo4j


@click.group("push")
def push_group() -> None:
    """Load the knowledge graph of INPUTS into a live database server."""


@push_group.command("neo4j")
@inputs_argument
@click.option(
    "--uri",
    envvar="NEO4J_URI",
    default="bolt://localhost:7687",
    show_default=True,
    help="Server URI (bolt://, neo4j://, neo4j+s://...). Env: NEO4J_URI.",
)
@click.option(
    "--user",
    envvar="NEO4J_USERNAME",
    default="neo4j",
    show_default=True,
    help="Env: NEO4J_USERNAME.",
)
@click.option(
    "--password",
    envvar="NEO4J_PASSWORD",
    prompt=True,
    hide_input=True,
    help="Env: NEO4J_PASSWORD (prompted when missing).",
)
@click.option("--database", "-d", default=None, help="Database name (default: the server's).")
@click.option(
    "--batch-size",
    default=BATCH_SIZE,
    show_default=True,
    type=click.IntRange(1),
    help="Rows per write transaction.",
)
@format_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def neo4j_command(
    inputs: tuple[Path, ...],
    uri: str,
    user: str,
    password: str,
    database: str | None,
    batch_size: int,
    fmt: str | None,
    quiet: bool,
) -> None:
    """Build the graph of INPUTS and MERGE it into Neo4j (safe to run again).

    Example: kg push neo4j seeds/ --uri bolt://localhost:7687 --user neo4j --password secret
    """
    check_uri(uri)
    graph = build(inputs, fmt=fmt)
    stats = push_neo4j(graph.graph, uri, (user, password), database, batch_size)
    if not quiet:
        click.echo(
            f"Pushed {stats.nodes} nodes and {stats.relationships} relationships "
            f"to {uri} in {stats.batches} batches."
        )
