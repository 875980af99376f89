"""``kg serve``: the SPARQL endpoint and HTML view of an exports folder."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import exports_argument
from kg.query import open_graph
from kg.serve import Endpoint, make_server


@click.command("serve")
@exports_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    type=click.Path(path_type=Path, file_okay=False),
    help="On-disk Oxigraph store (loaded from EXPORTS the first time, reused afterwards).",
)
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.01))
@click.option("--max-results", default=10_000, show_default=True, type=click.IntRange(min=1))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1))
@click.option("--verbose", "-v", is_flag=True, help="Log every request.")
def serve_command(
    exports: Path,
    host: str,
    port: int,
    db: Path | None,
    timeout: float,
    max_results: int,
    workers: int,
    verbose: bool,
) -> None:
    """Serve EXPORTS: SPARQL at /sparql (read-only), the HTML view at /.

    Example: kg serve exports/ --port 8000, then
    curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql' --data-urlencode 'query=ASK {}'
    """
    graph = open_graph(exports, "oxigraph", db)
    endpoint = Endpoint(graph, timeout=timeout, max_results=max_results, workers=workers)
    server = make_server(exports, endpoint, host, port)
    server.verbose = verbose  # type: ignore[attr-defined]
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"Serving {exports}/ at http://{bound_host!s}:{bound_port}/ (SPARQL: /sparql)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}, not only on loopback.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        endpoint.close()
