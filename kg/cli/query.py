"""``kg query``: run a SPARQL query (a canned one or your own file) over the exported graph."""

from __future__ import annotations

from pathlib import Path

import click

from kg.query import (
    OUTPUTS,
    STORES,
    SparqlError,
    bind,
    canned_queries,
    load_query,
    open_graph,
    render,
    run,
)
from kg.query.canned import QUERIES_DIR, QueryError, parse_params, resolve_params


def _find(query: str) -> Path:
    path = Path(query)
    if path.is_file():
        return path
    canned = QUERIES_DIR / f"{query.removesuffix('.rq')}.rq"
    if not path.suffix and canned.is_file():
        return canned
    names = ", ".join(q.name for q in canned_queries())
    raise QueryError(f"{query}: no such query file or canned query (canned: {names})")


def _list() -> None:
    for q in canned_queries():
        click.echo(f"{q.name}: {q.description}")
        for p in q.params.values():
            default = f" = {p.default}" if p.default is not None else ""
            click.echo(f"    --param {p.name}{default}  ({p.type}) {p.help}".rstrip())


@click.command("query")
@click.argument("query", required=False)
@click.option(
    "--graph",
    "-g",
    type=click.Path(path_type=Path),
    default=Path("exports"),
    show_default=True,
    help="Exports folder or RDF file (.nt, .ttl, .jsonld).",
)
@click.option("--param", "-p", "params", multiple=True, help="NAME=VALUE (repeatable).")
@click.option("--output", "-o", type=click.Choice(OUTPUTS), default="table", show_default=True)
@click.option("--store", type=click.Choice(STORES), default="oxigraph", show_default=True)
@click.option(
    "--db",
    type=click.Path(path_type=Path, file_okay=False),
    help="On-disk Oxigraph store: loaded from --graph the first time, reused afterwards.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Print at most this many rows.")
@click.option("--list", "list_", is_flag=True, help="List the canned queries and their params.")
def query_command(
    query: str | None,
    graph: Path,
    params: tuple[str, ...],
    output: str,
    store: str,
    db: Path | None,
    limit: int | None,
    list_: bool,
) -> None:
    """Run QUERY (a .rq file or a canned query name) over the graph and print the answer.

    Example: kg query leaderboard --param dataset=CIFAR-10 --param metric=FID
    """
    if list_:
        _list()
        return
    if query is None:
        raise click.UsageError("give a QUERY (a .rq file or canned name), or --list")
    path = _find(query)
    canned = load_query(path)
    text = bind(canned.text, resolve_params(canned, parse_params(params)))
    source = None if db is not None and db.exists() and not graph.exists() else graph
    rdf = open_graph(source, store, db)  # type: ignore[arg-type]
    try:
        answer = run(rdf, text, limit=limit)
    except SparqlError as err:
        raise QueryError(f"{path}: {err}") from err
    click.echo(render(answer, output).rstrip("\n"))
