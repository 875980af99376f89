"""``kg push sparql URL``: bulk-load a built graph's N-Triples into a Graph Store endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.push import push_group
from kg.push.sparql import CHUNK_BYTES, PushError, push_ntriples


@click.command("sparql")
@click.argument("url")
@click.option(
    "--graph",
    "-g",
    "source",
    type=click.Path(path_type=Path),
    default=Path("exports"),
    show_default=True,
    help="Exports folder (its graph.nt) or an N-Triples file.",
)
@click.option(
    "--named-graph", metavar="IRI", help="Load into this named graph (default: the default graph)."
)
@click.option("--replace", is_flag=True, help="Empty the target graph first (PUT, then POSTs).")
@click.option("--user", envvar="SPARQL_USER", help="HTTP basic auth user. Env: SPARQL_USER.")
@click.option(
    "--password", envvar="SPARQL_PASSWORD", help="HTTP basic auth password. Env: SPARQL_PASSWORD."
)
@click.option(
    "--chunk-bytes",
    type=click.IntRange(min=0),
    default=CHUNK_BYTES,
    show_default=True,
    help="Bytes of N-Triples per request (0: one request).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def sparql_command(
    url: str,
    source: Path,
    named_graph: str | None,
    replace: bool,
    user: str | None,
    password: str | None,
    chunk_bytes: int,
    quiet: bool,
) -> None:
    """Load the N-Triples of --graph into the SPARQL 1.1 Graph Store endpoint at URL.

    Example: kg push sparql http://localhost:7878/store --graph exports/ --replace
    """
    path = source / "graph.nt" if source.is_dir() else source
    if (user is None) != (password is None):
        raise PushError("give both --user and --password, or neither")
    auth = (user, password) if user is not None and password is not None else None
    stats = push_ntriples(path, url, named_graph, replace, auth, chunk_bytes)
    if not quiet:
        click.echo(
            f"Pushed {stats.triples} triples ({stats.bytes} bytes) to {url} "
            f"in {stats.requests} requests."
        )


push_group.add_command(sparql_command)
